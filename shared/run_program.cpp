#include "shared/run_program.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "shared/fd.hpp"
#include "shared/process.hpp"

extern char** environ;

namespace lvsctl {
namespace {

constexpr std::size_t kMaxOutput = 16u << 20;

Result<std::pair<Fd, Fd>> make_pipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return Error::from_errno("pipe");
  return std::pair<Fd, Fd>{Fd(ends[0]), Fd(ends[1])};
}

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

Result<std::string> find_admin_program(const std::string& name) {
  auto found = find_program(name);
  if (found || name.find('/') != std::string::npos) return found;
  for (const char* dir : {"/usr/sbin/", "/sbin/"}) {
    const std::string candidate = dir + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return found;
}

Result<ProgramOutput> run_program(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds deadline) {
  if (argv.empty()) return Error{"run_program: no program", EINVAL};
  auto exe = find_admin_program(argv.front());
  if (!exe) return Error{fmt::format("{} is not installed (not found in PATH)", argv.front()), exe.error().code};
  auto out_pipe = make_pipe();
  if (!out_pipe) return out_pipe.error();
  auto err_pipe = make_pipe();
  if (!err_pipe) return err_pipe.error();
  auto& [out_r, out_w] = *out_pipe;
  auto& [err_r, err_w] = *err_pipe;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe->c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error::from_errno(fmt::format("starting {}", *exe), rc);
  out_w.reset();
  err_w.reset();

  ProgramOutput result;
  std::array<pollfd, 2> fds{{{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  const auto until = std::chrono::steady_clock::now() + deadline;
  int open_fds = 2;
  bool timed_out = false;
  char buf[8192];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        if (sinks[i]->size() < kMaxOutput) sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  // Both outputs closed: the program has ended or detached them; it still has until the deadline.
  int status = 0;
  while (!timed_out) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= until) {
      timed_out = true;
      break;
    }
    ::usleep(2000);
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out) {
    return Error::from_errno(fmt::format("{} did not finish within {} ms", argv.front(), deadline.count()), ETIMEDOUT);
  }
  result.exit_code = exit_code_of(status);
  return result;
}

}  // namespace lvsctl
