#pragma once
// ChildProcess: a spawned program that can be watched on the EventLoop (its pidfd turns readable
// when it exits), killed with its whole process group, and reaped without SIGCHLD handling.
// Move-only; destroying a child that still runs kills its process group (SIGKILL) and reaps it.
// On a kernel without pidfd_open (before Linux 5.3: ENOSYS) the child is watched by
// child_reaper.hpp instead: pidfd() is then an eventfd that turns readable once the child exited.
//
// The child starts in a new process group, with stdin from /dev/null, an empty signal mask and
// default dispositions (the parent's EventLoop blocks signals; children must not inherit that).
// With Credentials it also drops to that user and group (supplementary groups: only that group)
// before exec, as keepalived runs scripts as `script_user`.
#include <signal.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl {

// The file execvp() would execute for `name`: `name` itself when it has a '/', else the first
// executable regular file `dir/name` for the directories of PATH (confstr(_CS_PATH) when PATH is
// unset). Errors: ENOENT (none; EACCES when one was found but is not executable), ENAMETOOLONG.
Result<std::string> find_program(const std::string& name);

struct ExitStatus {
  bool exited = false;  // exited normally: `code` is valid
  int code = 0;
  int signal = 0;       // killed by this signal when !exited
  std::string describe() const;  // "exited 1", "killed by signal 9"
};

// Who a child runs as.
struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

class ChildProcess {
 public:
  // Runs the program find_program(argv[0]) with argv, as `as` when given (else as we run), by
  // execve(): never through a shell, also not for a script without a `#!` line (ENOEXEC).
  // Errors: the program cannot be found or executed, or the user/group cannot be taken (EPERM
  // when we are not root).
  static Result<ChildProcess> spawn(const std::vector<std::string>& argv,
                                    std::optional<Credentials> as = std::nullopt);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Readable once the child has exited; watch it with EventLoop::watch(fd, io::kReadable, ...).
  // A pidfd, or on a kernel without pidfd_open an eventfd written by child_reaper.
  int pidfd() const { return pidfd_.get(); }
  // False when the kernel had no pidfd_open and child_reaper watches this child.
  bool watched_by_pidfd() const { return !by_reaper_; }
  bool reaped() const { return status_.has_value(); }

  // Reaps the child if it has exited (never blocks); nullopt while it runs.
  std::optional<ExitStatus> try_wait();
  // Signals the child's whole process group (a script and what it started).
  void kill_group(int sig = SIGKILL);

 private:
  ChildProcess(pid_t pid, Fd pidfd, bool by_reaper) : pid_(pid), pidfd_(std::move(pidfd)), by_reaper_(by_reaper) {}
  static Result<pid_t> fork_exec(const char* program, const std::vector<char*>& args,
                                 const Credentials& as);
  static Result<ChildProcess> watch(pid_t pid, const std::string& what);
  void kill_and_reap();

  pid_t pid_ = -1;
  Fd pidfd_;
  bool by_reaper_ = false;  // pidfd_ is child_reaper's eventfd
  std::optional<ExitStatus> status_;
};

}  // namespace lvsctl
