#include "lab/launch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "shared/fd.hpp"
#include "shared/process.hpp"

extern char** environ;

namespace lvsctl::lab {

namespace {

std::string joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

Result<std::vector<std::string>> in_namespace(const std::string& ns) {
  auto ip = find_program("ip");
  if (!ip) return Error{"iproute2's `ip` is needed: " + ip.error().message};
  return std::vector<std::string>{*ip, "netns", "exec", ns};
}

Result<std::string> self_program() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return Error::from_errno("cannot resolve /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

Result<pid_t> spawn_logged(const std::vector<std::string>& argv, const std::string& log) {
  if (argv.empty()) return Error{"empty command"};
  auto program = find_program(argv[0]);
  if (!program) return Error{"cannot run " + argv[0] + ": " + program.error().message};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  // A session of its own: the terminal's Ctrl-C to `lab up` does not reach the lab's daemons.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program->c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Error::from_errno("cannot start " + joined(argv), rc);
  return pid;
}

Result<int> run_for_code(const std::vector<std::string>& argv, const std::string& log,
                         std::chrono::milliseconds timeout) {
  auto pid = spawn_logged(argv, log);
  if (!pid) return pid.error();
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(*pid, &status, WNOHANG);
    if (r == *pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return Error{joined(argv) + ": killed by signal " +
                   std::to_string(WTERMSIG(status))};
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(*pid, SIGKILL);
      ::waitpid(*pid, &status, 0);
      return Error{joined(argv) + ": no answer within " + std::to_string(timeout.count()) +
                   " ms (killed)"};
    }
    if (pidfd) {
      pollfd p{pidfd.get(), POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

Status run_logged(const std::vector<std::string>& argv, const std::string& log,
                  std::chrono::milliseconds timeout) {
  auto code = run_for_code(argv, log, timeout);
  if (!code) return code.error();
  if (*code != 0) {
    return Error{joined(argv) + ": exited " + std::to_string(*code) + " (see " + log + ")"};
  }
  return {};
}

void reap_if_child(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, WNOHANG);
}

std::optional<unsigned long long> start_time_of(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // comm may hold spaces and parentheses: the fields after it start after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  char state = 0;
  fields >> state;
  if (state == 'Z' || state == 'X') return std::nullopt;
  // state is field 3; starttime is field 22.
  for (int i = 4; i < 22; ++i) fields >> field;
  unsigned long long start = 0;
  if (!(fields >> start)) return std::nullopt;
  return start;
}

bool is_running(const ProcessId& id) {
  reap_if_child(id.pid);
  const auto start = start_time_of(id.pid);
  return start && (id.start_time == 0 || *start == id.start_time);
}

bool signal_process(const ProcessId& id, int sig) {
  if (!is_running(id)) return false;
  return ::kill(id.pid, sig) == 0;
}

void stop_process(const ProcessId& id, std::chrono::milliseconds grace) {
  if (!signal_process(id, SIGTERM)) return;
  const auto start = std::chrono::steady_clock::now();
  bool killed = false;
  while (is_running(id)) {
    const auto waited = std::chrono::steady_clock::now() - start;
    if (!killed && waited > grace) {
      signal_process(id, SIGKILL);
      killed = true;
    }
    if (waited > 2 * grace) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace lvsctl::lab
