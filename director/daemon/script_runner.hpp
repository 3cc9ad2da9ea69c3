#pragma once
// ScriptRunnerPool: runs notify scripts as child processes on the event loop, never waiting for
// them: each one is reaped when its pidfd turns readable, and killed (its whole process group)
// when it outlives the timeout. Failures are logged with the command and how it ended.
// No shell is involved: a command line is split into argv as keepalived does it.
#include <chrono>
#include <list>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/daemon/notify_fifo.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "shared/event_loop.hpp"
#include "shared/process.hpp"

namespace lvsctl::director {

class ScriptRunnerPool {
 public:
  explicit ScriptRunnerPool(EventLoop& loop,
                            std::chrono::seconds timeout = std::chrono::seconds(30))
      : loop_(loop), timeout_(timeout) {}
  ~ScriptRunnerPool();

  // `command` is split into argv (shared/script_command: keepalived's rules, no shell), `args`
  // are appended as further argv entries, and argv[0] is executed as `as` when given.
  void run(const std::string& command, const std::vector<std::string>& args,
           std::optional<Credentials> as = std::nullopt);
  // For VRRP instances and groups: FIFO lines go to notify_fifo and vrrp_notify_fifo.
  ScriptRunner runner() {
    return ScriptRunner(
        [this](const std::string& c, const std::vector<std::string>& a,
               std::optional<Credentials> as) { run(c, a, as); },
        [this](const std::string& line) { write_fifos(line); });
  }
  // For the health checks: FIFO lines go to notify_fifo and lvs_notify_fifo.
  ScriptRunner lvs_runner() {
    return ScriptRunner(
        [this](const std::string& c, const std::vector<std::string>& a,
               std::optional<Credentials> as) { run(c, a, as); },
        [this](const std::string& line) { write_lvs_fifos(line); });
  }
  // notify_fifo / vrrp_notify_fifo / lvs_notify_fifo of `global`: opened (created when missing)
  // and their scripts started with the FIFO's path; a FIFO whose path is unchanged is kept,
  // others are closed and their scripts get SIGTERM (also when the pool goes).
  void set_notify_fifos(const config::GlobalDefs& global);
  void write_fifos(const std::string& line);
  void write_lvs_fifos(const std::string& line);
  std::size_t running() const { return children_.size(); }

 private:
  struct Running {
    std::string command;
    ChildProcess child;
    TimerId deadline = 0;
  };
  void finish(std::list<Running>::iterator it);

  struct FifoSlot {
    NotifyFifo fifo;
    std::optional<ChildProcess> script;
  };
  void set_fifo(FifoSlot& slot, const std::optional<std::string>& path,
                const std::optional<config::ScriptCommand>& script,
                const config::GlobalDefs& global);
  static void close_fifo(FifoSlot& slot);

  EventLoop& loop_;
  std::chrono::seconds timeout_;
  std::list<Running> children_;
  FifoSlot notify_fifo_;
  FifoSlot vrrp_notify_fifo_;
  FifoSlot lvs_notify_fifo_;
};

}  // namespace lvsctl::director
