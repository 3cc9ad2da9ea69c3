#pragma once
// MISC_CHECK: runs misc_path (split into argv as keepalived does, no shell) as a child process,
// watched on the loop through its pidfd. Exit 0: up; exit 1: down; with misc_dynamic, exit 2..255: up with weight code - 2
// (without it, any non-zero exit is down). It runs as MiscCheck::run_as. A script
// still running after misc_timeout is killed with its whole process group and counts as down.
#include <optional>

#include "director/check/probe.hpp"
#include "shared/process.hpp"

namespace lvsctl::director::check {

// The verdict on a finished script, pure.
ProbeResult judge_misc_exit(const ExitStatus& status, bool misc_dynamic);

class MiscProbe final : public Probe {
 public:
  MiscProbe(EventLoop& loop, const Checker& checker);
  ~MiscProbe() override { close(); }
  void start(Done done) override;

 private:
  void on_exit();
  void finish(ProbeResult result);
  void close();

  EventLoop& loop_;
  std::string command_;
  std::optional<Credentials> run_as_;
  Duration timeout_{0};
  bool dynamic_ = false;
  std::optional<ChildProcess> child_;
  bool timed_out_ = false;
  TimerId timer_ = 0;
  Done done_;
};

}  // namespace lvsctl::director::check
