#pragma once
// ScriptRunnerPool: runs notify scripts as child processes on the event loop, never waiting for
// them: each one is reaped when its pidfd turns readable, and killed (its whole process group)
// when it outlives the timeout. Failures are logged with the command and how it ended.
// No shell is involved: a command line is split into argv as keepalived does it.
#include <chrono>
#include <list>
#include <string>
#include <vector>

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
  ScriptRunner runner() {
    return ScriptRunner::Function(
        [this](const std::string& c, const std::vector<std::string>& a,
               std::optional<Credentials> as) { run(c, a, as); });
  }
  std::size_t running() const { return children_.size(); }

 private:
  struct Running {
    std::string command;
    ChildProcess child;
    TimerId deadline = 0;
  };
  void finish(std::list<Running>::iterator it);

  EventLoop& loop_;
  std::chrono::seconds timeout_;
  std::list<Running> children_;
};

}  // namespace lvsctl::director
