#include "shared/event_loop.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <string>

namespace lvsctl {
namespace {

constexpr std::uint32_t to_epoll(std::uint32_t interest) {
  std::uint32_t ev = 0;
  if (interest & io::kReadable) ev |= EPOLLIN | EPOLLRDHUP;
  if (interest & io::kWritable) ev |= EPOLLOUT;
  return ev;
}

constexpr std::uint32_t from_epoll(std::uint32_t ev) {
  std::uint32_t out = 0;
  if (ev & (EPOLLIN | EPOLLPRI)) out |= io::kReadable;
  if (ev & EPOLLOUT) out |= io::kWritable;
  if (ev & EPOLLERR) out |= io::kError;
  if (ev & (EPOLLHUP | EPOLLRDHUP)) out |= io::kHangup;
  return out;
}

constexpr std::uint64_t pack(std::uint32_t generation, int fd) {
  return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}

// epoll_pwait2 (Linux 5.11) through syscall(): glibc has a wrapper only from 2.35, and the binary
// must run on older ones (RHEL 9: 2.34). A kernel without it (Debian 11: 5.10) answers ENOSYS
// once; from then on epoll_pwait waits with the timeout rounded up to whole milliseconds (a timer
// is never early; it may be up to 1 ms late).
int wait_for_events(int epfd, epoll_event* events, int max, const timespec* timeout) {
  static std::atomic<bool> have_pwait2{true};
#ifdef SYS_epoll_pwait2
  if (have_pwait2.load(std::memory_order_relaxed)) {
    const long n = ::syscall(SYS_epoll_pwait2, epfd, events, max, timeout, nullptr, 0);
    if (n >= 0 || errno != ENOSYS) return static_cast<int>(n);
    have_pwait2.store(false, std::memory_order_relaxed);
  }
#endif
  int ms = -1;
  if (timeout) {
    const long long ns = static_cast<long long>(timeout->tv_sec) * 1'000'000'000LL + timeout->tv_nsec;
    ms = static_cast<int>(std::min<long long>((ns + 999'999) / 1'000'000, INT_MAX));
  }
  return ::epoll_pwait(epfd, events, max, ms, nullptr);
}

// Min-heap order on (deadline, id): std::*_heap build max-heaps, so compare "later than".
bool later(const auto& a, const auto& b) {
  if (a.deadline != b.deadline) return a.deadline > b.deadline;
  return a.id > b.id;
}

// The internal descriptor (signalfd) uses generation 0, which no user watch gets.
constexpr std::uint32_t kInternalGeneration = 0;

}  // namespace

Result<std::unique_ptr<EventLoop>> EventLoop::create(const Clock& clock) {
  Fd ep{::epoll_create1(EPOLL_CLOEXEC)};
  if (!ep) return Error::from_errno("epoll_create1");
  return std::unique_ptr<EventLoop>(new EventLoop(clock, std::move(ep)));
}

EventLoop::EventLoop(const Clock& clock, Fd epoll) : clock_(clock), epoll_(std::move(epoll)) {}

EventLoop::~EventLoop() {
  if (!signals_we_blocked_.empty()) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : signals_we_blocked_) sigaddset(&set, s);
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  }
}

// ---------------------------------------------------------------------------------------------
// descriptors

Status EventLoop::watch(int fd, std::uint32_t interest, IoCallback callback) {
  if (fd < 0) return Error{"watch: invalid descriptor " + std::to_string(fd), EBADF};
  auto it = watches_.find(fd);
  if (it != watches_.end()) {
    // Replace in place: a new Watch object, so a callback running now keeps its own copy alive.
    auto w = std::make_shared<Watch>(Watch{it->second->generation, interest, std::move(callback)});
    if (interest != it->second->interest) {
      epoll_event ev{};
      ev.events = to_epoll(interest);
      ev.data.u64 = pack(w->generation, fd);
      if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
        return Error::from_errno("epoll_ctl(MOD fd " + std::to_string(fd) + ")");
      }
    }
    it->second = std::move(w);
    return {};
  }
  std::uint32_t gen = next_generation_++;
  if (next_generation_ == kInternalGeneration) next_generation_ = 1;
  epoll_event ev{};
  ev.events = to_epoll(interest);
  ev.data.u64 = pack(gen, fd);
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    return Error::from_errno("epoll_ctl(ADD fd " + std::to_string(fd) + ")");
  }
  watches_.emplace(fd, std::make_shared<Watch>(Watch{gen, interest, std::move(callback)}));
  return {};
}

Status EventLoop::modify(int fd, std::uint32_t interest) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return Error{"modify: fd " + std::to_string(fd) + " is not watched", EBADF};
  if (it->second->interest == interest) return {};
  epoll_event ev{};
  ev.events = to_epoll(interest);
  ev.data.u64 = pack(it->second->generation, fd);
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
    return Error::from_errno("epoll_ctl(MOD fd " + std::to_string(fd) + ")");
  }
  it->second->interest = interest;
  return {};
}

void EventLoop::unwatch(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  // May fail with EBADF when the caller closed the fd first; the kernel then dropped it already.
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  watches_.erase(it);
}

// ---------------------------------------------------------------------------------------------
// timers

TimerId EventLoop::add_timer(Clock::time_point deadline, TimerCallback callback) {
  TimerId id = next_timer_id_++;
  timers_.emplace(id, std::move(callback));
  heap_.push_back(HeapEntry{deadline, id});
  std::push_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
  return id;
}

bool EventLoop::cancel_timer(TimerId id) {
  if (timers_.erase(id) == 0) return false;
  // The heap entry stays until it reaches the top or the heap is compacted.
  if (heap_.size() > 1024 && heap_.size() > 2 * timers_.size()) compact_heap();
  return true;
}

void EventLoop::compact_heap() {
  std::erase_if(heap_, [this](const HeapEntry& e) { return timers_.count(e.id) == 0; });
  std::make_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
}

void EventLoop::drop_cancelled_top() {
  while (!heap_.empty() && timers_.count(heap_.front().id) == 0) {
    std::pop_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
    heap_.pop_back();
  }
}

std::optional<Clock::duration> EventLoop::until_next_timer() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return std::max(heap_.front().deadline - clock_.now(), Clock::duration::zero());
}

void EventLoop::dispatch_timers() {
  // Timers added while we dispatch (ids >= limit) wait for the next round, so a callback that
  // re-adds itself with a past deadline cannot starve descriptors.
  const TimerId limit = next_timer_id_;
  const auto now = clock_.now();
  auto cmp = [](const auto& a, const auto& b) { return later(a, b); };
  while (!heap_.empty() && !stopping_) {
    const HeapEntry top = heap_.front();
    if (top.deadline > now || top.id >= limit) break;
    std::pop_heap(heap_.begin(), heap_.end(), cmp);
    heap_.pop_back();
    auto it = timers_.find(top.id);
    if (it == timers_.end()) continue;  // cancelled
    TimerCallback cb = std::move(it->second);
    timers_.erase(it);
    cb();
  }
}

// ---------------------------------------------------------------------------------------------
// signals

Status EventLoop::on_signal(int signo, SignalCallback callback) {
  sigset_t one, old;
  sigemptyset(&one);
  if (sigaddset(&one, signo) != 0) return Error{"on_signal: invalid signal " + std::to_string(signo), EINVAL};
  if (::sigprocmask(SIG_BLOCK, &one, &old) != 0) return Error::from_errno("sigprocmask");
  if (!sigismember(&old, signo) &&
      std::find(signals_we_blocked_.begin(), signals_we_blocked_.end(), signo) == signals_we_blocked_.end()) {
    signals_we_blocked_.push_back(signo);
  }
  signal_handlers_[signo] = std::move(callback);

  sigset_t all;
  sigemptyset(&all);
  for (const auto& [s, cb] : signal_handlers_) sigaddset(&all, s);
  const bool first = !signalfd_;
  int fd = ::signalfd(first ? -1 : signalfd_.get(), &all, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return Error::from_errno("signalfd");
  if (first) {
    signalfd_.reset(fd);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = pack(kInternalGeneration, fd);
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      return Error::from_errno("epoll_ctl(ADD signalfd)");
    }
  }
  return {};
}

void EventLoop::dispatch_signals() {
  std::array<signalfd_siginfo, 16> infos{};
  for (;;) {
    ssize_t n = ::read(signalfd_.get(), infos.data(), sizeof infos);
    if (n <= 0) return;
    const auto count = static_cast<std::size_t>(n) / sizeof(signalfd_siginfo);
    for (std::size_t i = 0; i < count; ++i) {
      const auto& si = infos[i];
      SignalInfo info{static_cast<int>(si.ssi_signo), static_cast<pid_t>(si.ssi_pid), si.ssi_code,
                      si.ssi_status};
      auto it = signal_handlers_.find(info.signo);
      if (it == signal_handlers_.end()) continue;
      SignalCallback cb = it->second;  // a copy: the handler may replace itself
      cb(info);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// running

HookId EventLoop::before_wait(TimerCallback callback) {
  const HookId id = next_hook_id_++;
  hooks_.emplace_back(id, std::move(callback));
  return id;
}

void EventLoop::cancel_before_wait(HookId id) {
  std::erase_if(hooks_, [id](const auto& h) { return h.first == id; });
}

Status EventLoop::wait_and_dispatch(std::optional<Clock::duration> max_wait) {
  // By index, each a copy: a hook may add or cancel hooks, itself included.
  for (std::size_t i = 0; i < hooks_.size(); ++i) {
    const TimerCallback hook = hooks_[i].second;
    hook();
  }
  // The earliest timer bounds the wait (epoll_pwait2 takes it in nanoseconds), so timers cost no
  // descriptor and no syscall of their own.
  auto wait = until_next_timer();
  if (max_wait && (!wait || *max_wait < *wait)) wait = max_wait;
  timespec ts{};
  if (wait) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*wait).count();
    ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  }
  std::array<epoll_event, 256> events{};
  int n = wait_for_events(epoll_.get(), events.data(), static_cast<int>(events.size()),
                          wait ? &ts : nullptr);
  if (n < 0) {
    if (errno == EINTR) return {};
    return Error::from_errno("epoll_wait");
  }
  for (int i = 0; i < n && !stopping_; ++i) {
    const auto& ev = events[static_cast<std::size_t>(i)];
    const int fd = static_cast<int>(ev.data.u64 & 0xffffffffu);
    const auto gen = static_cast<std::uint32_t>(ev.data.u64 >> 32);
    if (gen == kInternalGeneration) {
      if (fd == signalfd_.get()) dispatch_signals();
      continue;
    }
    auto it = watches_.find(fd);
    if (it == watches_.end() || it->second->generation != gen) continue;  // unwatched meanwhile
    std::shared_ptr<Watch> w = it->second;  // keeps the callback alive if it unwatches itself
    const std::uint32_t happened = from_epoll(ev.events);
    if (happened != 0) w->callback(happened);
  }
  dispatch_timers();
  return {};
}

Status EventLoop::run() {
  stopping_ = false;
  while (!stopping_) {
    if (auto st = wait_and_dispatch(std::nullopt); !st) return st;
  }
  return {};
}

Status EventLoop::run_once(Clock::duration max_wait) {
  stopping_ = false;
  return wait_and_dispatch(std::max(max_wait, Clock::duration::zero()));
}

}  // namespace lvsctl
