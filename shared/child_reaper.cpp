#include "shared/child_reaper.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

namespace lvsctl::child_reaper {
namespace {

struct Child {
  int eventfd = -1;  // owned by the ChildProcess; written once, after the reap
  std::optional<int> status;
};

// Never destroyed: the thread runs until the process exits.
struct Reaper {
  std::mutex mutex;
  std::condition_variable wake;  // a child was registered
  std::map<pid_t, Child> children;
  bool started = false;

  void reap_exited() {  // with `mutex` held
    for (auto& [pid, child] : children) {
      if (child.status) continue;
      int ws = 0;
      const pid_t r = ::waitpid(pid, &ws, WNOHANG);
      if (r != pid) continue;
      child.status = ws;
      const std::uint64_t one = 1;
      (void)!::write(child.eventfd, &one, sizeof one);
    }
  }

  bool waiting() const {  // with `mutex` held
    for (const auto& entry : children) {
      if (!entry.second.status) return true;
    }
    return false;
  }

  void run() {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, nullptr);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return waiting(); });
        reap_exited();
      }
      const timespec tick{0, 20'000'000};
      (void)::sigtimedwait(&chld, nullptr, &tick);
    }
  }
};

Reaper& reaper() {
  static Reaper* r = new Reaper;  // leaked on purpose: its thread outlives static destruction
  return *r;
}

}  // namespace

Result<Fd> watch(pid_t pid) {
  Fd efd{::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
  if (!efd) return Error::from_errno("eventfd for child " + std::to_string(pid));
  Reaper& r = reaper();
  std::lock_guard lock(r.mutex);
  if (!r.started) {
    try {
      std::thread([&r] { r.run(); }).detach();
    } catch (const std::system_error& e) {
      return Error{std::string("child reaper thread: ") + e.what(), e.code().value()};
    }
    r.started = true;
  }
  r.children[pid] = Child{efd.get(), std::nullopt};
  r.reap_exited();  // it may be gone already; its SIGCHLD came before it was registered
  r.wake.notify_one();
  return efd;
}

std::optional<int> status(pid_t pid) {
  Reaper& r = reaper();
  std::lock_guard lock(r.mutex);
  auto it = r.children.find(pid);
  if (it == r.children.end()) return std::nullopt;
  return it->second.status;
}

void signal_group(pid_t pid, int sig) {
  Reaper& r = reaper();
  std::lock_guard lock(r.mutex);
  auto it = r.children.find(pid);
  if (it != r.children.end() && it->second.status) return;
  if (::kill(-pid, sig) != 0) ::kill(pid, sig);
}

std::optional<int> forget(pid_t pid) {
  Reaper& r = reaper();
  std::lock_guard lock(r.mutex);
  auto it = r.children.find(pid);
  if (it == r.children.end()) return std::nullopt;
  const auto st = it->second.status;
  r.children.erase(it);
  return st;
}

std::size_t watched() {
  Reaper& r = reaper();
  std::lock_guard lock(r.mutex);
  return r.children.size();
}

}  // namespace lvsctl::child_reaper
