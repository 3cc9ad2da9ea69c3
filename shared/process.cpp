#include "shared/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "shared/child_reaper.hpp"

extern char** environ;

namespace lvsctl {

std::string ExitStatus::describe() const {
  if (exited) return "exited " + std::to_string(code);
  return "killed by signal " + std::to_string(signal);
}

namespace {

ExitStatus decode(int wstatus) {
  ExitStatus st;
  if (WIFEXITED(wstatus)) {
    st.exited = true;
    st.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    st.signal = WTERMSIG(wstatus);
  }
  return st;
}

Error exec_error(const std::string& program, int err) {
  auto e = Error::from_errno("spawn " + program, err);
  if (err == ENOEXEC) e.message += " (a script needs a #! line naming its interpreter)";
  return e;
}

}  // namespace

Result<std::string> find_program(const std::string& name) {
  if (name.empty()) return Error{"spawn: empty program name", ENOENT};
  if (name.size() >= PATH_MAX) return Error::from_errno("program " + name.substr(0, 64) + "...", ENAMETOOLONG);
  if (name.find('/') != std::string::npos) return name;
  if (name.size() > NAME_MAX) return Error::from_errno("program " + name, ENAMETOOLONG);
  std::string dirs;
  if (const char* env = std::getenv("PATH")) {
    dirs = env;
  } else {
    dirs.resize(::confstr(_CS_PATH, nullptr, 0));
    ::confstr(_CS_PATH, dirs.data(), dirs.size());
    if (!dirs.empty() && dirs.back() == '\0') dirs.pop_back();
  }
  bool denied = false;
  std::size_t at = 0;
  while (at <= dirs.size()) {
    const std::size_t colon = std::min(dirs.find(':', at), dirs.size());
    std::string dir = dirs.substr(at, colon - at);
    // An empty entry is the current directory, as for execvp().
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      denied = true;
    }
    at = colon + 1;
  }
  if (denied) return Error::from_errno("program " + name + " in PATH", EACCES);
  return Error::from_errno("program " + name + " in PATH", ENOENT);
}

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                         std::optional<Credentials> as) {
  if (argv.empty()) return Error{"spawn: empty command", EINVAL};
  auto program = find_program(argv[0]);
  if (!program) return program.error();
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Running as ourselves needs no fork: posix_spawn (vfork-like) is cheaper for a large daemon
  // and needs no privilege (setgroups fails without CAP_SETGID).
  if (as && *as == Credentials{::geteuid(), ::getegid()}) as.reset();
  if (as) {
    auto pid = fork_exec(program->c_str(), args, *as);
    if (!pid) {
      if (pid.error().code == ENOEXEC) return exec_error(*program, ENOEXEC);
      return Error{"spawn " + *program + ": " + pid.error().message, pid.error().code};
    }
    return watch(*pid, argv[0]);
  }

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigfillset(&defaults);
  sigdelset(&defaults, SIGKILL);
  sigdelset(&defaults, SIGSTOP);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                                     POSIX_SPAWN_SETPGROUP));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program->c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return exec_error(*program, rc);
  return watch(pid, argv[0]);
}

// posix_spawn cannot change the user, so: fork, set up what posix_spawn would (process group,
// signals, stdin), take the group and user, exec. Between fork and exec only async-signal-safe
// calls. A failure before or in exec is reported through a close-on-exec pipe.
Result<pid_t> ChildProcess::fork_exec(const char* program, const std::vector<char*>& args,
                                      const Credentials& as) {
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return Error::from_errno("pipe");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(report[0]);
    ::close(report[1]);
    return Error::from_errno("fork", err);
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s) {
      if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0 && devnull != STDIN_FILENO) {
      ::dup2(devnull, STDIN_FILENO);
      ::close(devnull);
    }
    if (::setgroups(1, &as.gid) == 0 && ::setgid(as.gid) == 0 && ::setuid(as.uid) == 0) {
      ::execve(program, args.data(), environ);
    }
    const int err = errno;
    (void)!::write(report[1], &err, sizeof err);
    ::_exit(127);
  }
  ::close(report[1]);
  int err = 0;
  ssize_t n = 0;
  while ((n = ::read(report[0], &err, sizeof err)) < 0 && errno == EINTR) {
  }
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof err)) {
    int ws = 0;
    ::waitpid(pid, &ws, 0);
    return Error::from_errno("as uid " + std::to_string(as.uid) + " gid " + std::to_string(as.gid),
                             err);
  }
  return pid;
}

Result<ChildProcess> ChildProcess::watch(pid_t pid, const std::string& what) {
  Fd pidfd{static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))};
  if (pidfd) {
    ::fcntl(pidfd.get(), F_SETFD, FD_CLOEXEC);
    return ChildProcess(pid, std::move(pidfd), false);
  }
  int err = errno;
  if (err == ENOSYS) {  // Linux < 5.3: child_reaper waits for it
    static bool said = false;
    if (!said) {
      spdlog::info("pidfd_open: not in this kernel (ENOSYS); child processes are reaped on SIGCHLD");
      said = true;
    }
    auto efd = child_reaper::watch(pid);
    if (efd) return ChildProcess(pid, std::move(efd).value(), true);
    err = efd.error().code;
  }
  ::kill(-pid, SIGKILL);
  int ws = 0;
  ::waitpid(pid, &ws, 0);
  return Error::from_errno("pidfd_open for " + what, err);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      by_reaper_(other.by_reaper_),
      status_(std::move(other.status_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
    by_reaper_ = other.by_reaper_;
    status_ = std::move(other.status_);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::kill_and_reap() {
  if (pid_ <= 0 || status_) return;
  kill_group(SIGKILL);
  if (by_reaper_) {
    // The reaper's status when it got there first; else it no longer waits and we do.
    if (auto ws = child_reaper::forget(pid_)) {
      status_ = decode(*ws);
      return;
    }
  }
  int ws = 0;
  while (::waitpid(pid_, &ws, 0) < 0 && errno == EINTR) {
  }
  status_ = decode(ws);
}

std::optional<ExitStatus> ChildProcess::try_wait() {
  if (status_) return status_;
  if (pid_ <= 0) return std::nullopt;
  if (by_reaper_) {
    if (!child_reaper::status(pid_)) return std::nullopt;
    status_ = decode(*child_reaper::forget(pid_));
    return status_;
  }
  int ws = 0;
  const pid_t r = ::waitpid(pid_, &ws, WNOHANG);
  if (r == pid_) status_ = decode(ws);
  return status_;
}

void ChildProcess::kill_group(int sig) {
  if (pid_ <= 0 || status_) return;
  if (by_reaper_) {  // under the reaper's lock: never a pid it has reaped
    child_reaper::signal_group(pid_, sig);
    return;
  }
  // The group may be gone while the child is a zombie; then signal the child itself (harmless).
  if (::kill(-pid_, sig) != 0) ::kill(pid_, sig);
}

}  // namespace lvsctl
