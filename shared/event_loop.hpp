#pragma once
// EventLoop: the one single-threaded epoll loop of a daemon. It multiplexes
//   - file descriptors (readable / writable callbacks),
//   - one-shot timers (a binary heap whose earliest deadline is the wait's timeout: adding or
//     cancelling one of 10,000+ timers is O(log n) and costs no syscall),
//   - signals (blocked and read from one signalfd, so handlers run as ordinary callbacks).
// Everything runs on the thread that calls run(); no method is thread-safe.
//
// Callbacks may freely add/cancel timers, watch/unwatch descriptors (including their own) and
// call stop() while they run. An event for a descriptor that was unwatched earlier in the same
// dispatch round is dropped, even if the number was reused meanwhile.
//
//   - hooks run before every wait (to flush work batched during a round, e.g. packets to send).
//
// Time: deadlines are in the injected Clock's time. The loop waits for the distance from
// clock.now() to the earliest deadline, so a loop runs on SteadyClock in production; pure code
// that only needs "now" takes the Clock, not the loop.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <unordered_map>
#include <vector>

#include "shared/clock.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl {

// Interest and event bits for watch(); several may be or-ed together.
namespace io {
inline constexpr uint32_t kReadable = 1u << 0;
inline constexpr uint32_t kWritable = 1u << 1;
inline constexpr uint32_t kError = 1u << 2;   // reported only, never requested
inline constexpr uint32_t kHangup = 1u << 3;  // reported only, never requested
}  // namespace io

// What a signal handler learns (from signalfd_siginfo).
struct SignalInfo {
  int signo = 0;
  pid_t pid = 0;     // sender, or the child for SIGCHLD
  int code = 0;      // si_code
  int status = 0;    // exit status / signal for SIGCHLD
};

using TimerId = std::uint64_t;  // 0 is never a valid id
using HookId = std::uint64_t;   // 0 is never a valid id

class EventLoop {
 public:
  using IoCallback = std::function<void(uint32_t events)>;
  using TimerCallback = std::function<void()>;
  using SignalCallback = std::function<void(const SignalInfo&)>;

  // Creates the epoll instance. The clock must outlive the loop.
  static Result<std::unique_ptr<EventLoop>> create(const Clock& clock = SteadyClock::instance());

  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();  // unblocks the signals on_signal() blocked (those that were not blocked before)

  const Clock& clock() const { return clock_; }
  Clock::time_point now() const { return clock_.now(); }

  // --- descriptors --------------------------------------------------------------------------
  // Starts watching `fd` for `interest` (io::kReadable / io::kWritable), or replaces the interest
  // and callback if it is watched already. The loop does not own fd; unwatch it before closing.
  // The callback receives the io:: bits that happened (kError / kHangup are always reported).
  Status watch(int fd, uint32_t interest, IoCallback callback);
  // Changes only the interest of a watched descriptor.
  Status modify(int fd, uint32_t interest);
  // Stops watching; a no-op for a descriptor that is not watched.
  void unwatch(int fd);
  bool watching(int fd) const { return watches_.count(fd) != 0; }
  std::size_t watch_count() const { return watches_.size(); }

  // --- timers ---------------------------------------------------------------------------------
  // One-shot timers. Timers with equal deadlines fire in the order they were added. A timer due
  // already fires on the next loop iteration (never inside the call that adds it).
  TimerId add_timer(Clock::time_point deadline, TimerCallback callback);
  TimerId after(Clock::duration delay, TimerCallback callback) {
    return add_timer(clock_.now() + delay, std::move(callback));
  }
  // Returns false when the timer already fired or was cancelled (also for id 0).
  bool cancel_timer(TimerId id);
  std::size_t timer_count() const { return timers_.size(); }

  // --- hooks ----------------------------------------------------------------------------------
  // `callback` runs before every wait for events (after each dispatch round), until cancelled.
  HookId before_wait(TimerCallback callback);
  void cancel_before_wait(HookId id);

  // --- signals --------------------------------------------------------------------------------
  // Blocks `signo` for this thread and delivers it through a signalfd to `callback` (replacing an
  // earlier callback for the same signal). Use before starting threads, as blocking is per thread.
  Status on_signal(int signo, SignalCallback callback);

  // --- running --------------------------------------------------------------------------------
  // Dispatches events until stop() is called. Fails only when epoll itself fails.
  Status run();
  // Waits at most `max_wait` for events and dispatches what arrived (for tests and embedding).
  Status run_once(Clock::duration max_wait);
  // Makes run() return after the current dispatch round; safe inside any callback.
  void stop() { stopping_ = true; }

 private:
  struct Watch {
    std::uint32_t generation;
    std::uint32_t interest;
    IoCallback callback;
  };
  struct HeapEntry {
    Clock::time_point deadline;
    TimerId id;  // ids grow monotonically, so they also order equal deadlines
  };

  EventLoop(const Clock& clock, Fd epoll);
  // Waits at most `max_wait` (nullopt: no limit but the timers), then dispatches.
  Status wait_and_dispatch(std::optional<Clock::duration> max_wait);
  void dispatch_timers();
  void dispatch_signals();
  std::optional<Clock::duration> until_next_timer();  // nullopt: no timer
  void drop_cancelled_top();
  void compact_heap();

  const Clock& clock_;
  Fd epoll_;
  Fd signalfd_;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
  std::uint32_t next_generation_ = 1;

  std::vector<HeapEntry> heap_;                              // may hold cancelled ids (lazy)
  std::unordered_map<TimerId, TimerCallback> timers_;        // live timers only
  TimerId next_timer_id_ = 1;

  std::vector<std::pair<HookId, TimerCallback>> hooks_;
  HookId next_hook_id_ = 1;

  std::unordered_map<int, SignalCallback> signal_handlers_;
  std::vector<int> signals_we_blocked_;

  bool stopping_ = false;
};

}  // namespace lvsctl
