// EventLoop: descriptors (pipes), timers (order, cancel, scale), signals, stop.
#include "shared/event_loop.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace lvsctl {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<EventLoop> make_loop() {
  auto loop = EventLoop::create();
  EXPECT_TRUE(loop.ok()) << (loop.ok() ? "" : loop.error().message);
  return std::move(loop).value();
}

struct Pipe {
  Fd r, w;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    r.reset(fds[0]);
    w.reset(fds[1]);
  }
};

// Runs the loop until `done` or a generous wall-clock limit (a hang fails, it never asserts time).
void run_until(EventLoop& loop, const bool& done, std::chrono::seconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < end) ASSERT_TRUE(loop.run_once(100ms).ok());
  ASSERT_TRUE(done) << "condition not reached within " << limit.count() << " s";
}

TEST(EventLoop, ReadableCallbackGetsPipeData) {
  auto loop = make_loop();
  Pipe p;
  std::string got;
  bool done = false;
  ASSERT_TRUE(loop->watch(p.r.get(), io::kReadable, [&](uint32_t ev) {
    EXPECT_TRUE(ev & io::kReadable);
    char buf[64];
    ssize_t n = ::read(p.r.get(), buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    if (got == "hello") done = true;
  }).ok());
  ASSERT_EQ(::write(p.w.get(), "hello", 5), 5);
  run_until(*loop, done);
  EXPECT_EQ(got, "hello");
}

TEST(EventLoop, WritableThenModifyToRead) {
  auto loop = make_loop();
  Pipe p;
  int writable = 0;
  ASSERT_TRUE(loop->watch(p.w.get(), io::kWritable, [&](uint32_t ev) {
    if (ev & io::kWritable) ++writable;
    ASSERT_TRUE(loop->modify(p.w.get(), 0).ok());  // stop asking
  }).ok());
  ASSERT_TRUE(loop->run_once(1s).ok());
  ASSERT_TRUE(loop->run_once(50ms).ok());
  EXPECT_EQ(writable, 1);
}

TEST(EventLoop, HangupReportedWhenWriterCloses) {
  auto loop = make_loop();
  Pipe p;
  bool hup = false;
  ASSERT_TRUE(loop->watch(p.r.get(), io::kReadable, [&](uint32_t ev) { hup = (ev & io::kHangup) != 0; }).ok());
  p.w.reset();
  run_until(*loop, hup);
}

TEST(EventLoop, UnwatchInsideCallbackIsSafeAndStopsEvents) {
  auto loop = make_loop();
  Pipe p;
  int calls = 0;
  ASSERT_TRUE(loop->watch(p.r.get(), io::kReadable, [&](uint32_t) {
    ++calls;
    loop->unwatch(p.r.get());  // destroys this callback's Watch in the map while it runs
  }).ok());
  ASSERT_EQ(::write(p.w.get(), "x", 1), 1);
  ASSERT_TRUE(loop->run_once(1s).ok());
  ASSERT_TRUE(loop->run_once(50ms).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(loop->watching(p.r.get()));
}

TEST(EventLoop, StaleEventForUnwatchedFdIsDropped) {
  auto loop = make_loop();
  Pipe a, b;
  int a_calls = 0, b_calls = 0;
  // Both readable in the same round; whichever runs first unwatches the other.
  ASSERT_TRUE(loop->watch(a.r.get(), io::kReadable, [&](uint32_t) { ++a_calls; loop->unwatch(b.r.get()); }).ok());
  ASSERT_TRUE(loop->watch(b.r.get(), io::kReadable, [&](uint32_t) { ++b_calls; loop->unwatch(a.r.get()); }).ok());
  ASSERT_EQ(::write(a.w.get(), "x", 1), 1);
  ASSERT_EQ(::write(b.w.get(), "x", 1), 1);
  ASSERT_TRUE(loop->run_once(1s).ok());
  EXPECT_EQ(a_calls + b_calls, 1);
}

TEST(EventLoop, WatchRejectsBadDescriptor) {
  auto loop = make_loop();
  auto st = loop->watch(-1, io::kReadable, [](uint32_t) {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("-1"), std::string::npos);
  EXPECT_FALSE(loop->modify(12345, io::kReadable).ok());
}

TEST(EventLoop, TimersFireInDeadlineOrderThenInsertionOrder) {
  auto loop = make_loop();
  std::vector<int> order;
  const auto t0 = loop->now();
  loop->add_timer(t0 + 30ms, [&] { order.push_back(3); });
  loop->add_timer(t0 + 10ms, [&] { order.push_back(1); });
  loop->add_timer(t0 + 20ms, [&] { order.push_back(2); });
  loop->add_timer(t0 + 20ms, [&] { order.push_back(22); });  // same deadline: after 2
  bool done = false;
  loop->add_timer(t0 + 40ms, [&] { done = true; });
  run_until(*loop, done);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 22, 3}));
}

TEST(EventLoop, TimerDoesNotFireBeforeItsDeadline) {
  auto loop = make_loop();
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point fired{};
  bool done = false;
  loop->after(50ms, [&] { fired = std::chrono::steady_clock::now(); done = true; });
  run_until(*loop, done);
  EXPECT_GE(fired - start, 50ms);  // a lower bound only: never a timed upper bound
}

TEST(EventLoop, CancelledTimerNeverFires) {
  auto loop = make_loop();
  bool cancelled_fired = false, done = false;
  TimerId id = loop->after(5ms, [&] { cancelled_fired = true; });
  loop->after(20ms, [&] { done = true; });
  EXPECT_TRUE(loop->cancel_timer(id));
  EXPECT_FALSE(loop->cancel_timer(id));
  EXPECT_FALSE(loop->cancel_timer(0));
  run_until(*loop, done);
  EXPECT_FALSE(cancelled_fired);
  EXPECT_EQ(loop->timer_count(), 0u);
}

TEST(EventLoop, TimerCallbackCanRearmAndCancelOthers) {
  auto loop = make_loop();
  int ticks = 0;
  bool victim_fired = false;
  TimerId victim = loop->after(1h, [&] { victim_fired = true; });
  std::function<void()> tick = [&] {
    if (++ticks == 5) {
      loop->cancel_timer(victim);
      loop->stop();
      return;
    }
    loop->after(1ms, tick);
  };
  loop->after(1ms, tick);
  ASSERT_TRUE(loop->run().ok());
  EXPECT_EQ(ticks, 5);
  EXPECT_FALSE(victim_fired);
  EXPECT_EQ(loop->timer_count(), 0u);
}

TEST(EventLoop, PastDeadlineTimerAddedInCallbackWaitsForNextRound) {
  auto loop = make_loop();
  int runs = 0;
  std::function<void()> again = [&] {
    ++runs;
    if (runs < 1000) loop->add_timer(loop->now() - 1s, again);
  };
  loop->after(0ms, again);
  Pipe p;
  bool read = false;
  ASSERT_TRUE(loop->watch(p.r.get(), io::kReadable, [&](uint32_t) { read = true; }).ok());
  ASSERT_EQ(::write(p.w.get(), "x", 1), 1);
  // The self-rearming timer must not starve the descriptor.
  for (int i = 0; i < 5 && !read; ++i) ASSERT_TRUE(loop->run_once(100ms).ok());
  EXPECT_TRUE(read);
  EXPECT_LT(runs, 1000);
}

TEST(EventLoop, TenThousandTimersAllFireInOrder) {
  auto loop = make_loop();
  constexpr int kTimers = 10000;
  std::vector<int> fired;
  fired.reserve(kTimers);
  const auto t0 = loop->now();
  // Added in reverse deadline order, every 3rd cancelled.
  std::vector<TimerId> ids;
  for (int i = kTimers - 1; i >= 0; --i) {
    ids.push_back(loop->add_timer(t0 + std::chrono::microseconds(i * 5), [&fired, i] { fired.push_back(i); }));
  }
  int expected = 0;
  for (int i = 0; i < kTimers; ++i) {
    if (i % 3 == 0) {
      EXPECT_TRUE(loop->cancel_timer(ids[static_cast<size_t>(kTimers - 1 - i)]));
    } else {
      ++expected;
    }
  }
  EXPECT_EQ(loop->timer_count(), static_cast<size_t>(expected));
  const auto end = std::chrono::steady_clock::now() + 20s;
  while (loop->timer_count() > 0 && std::chrono::steady_clock::now() < end) ASSERT_TRUE(loop->run_once(100ms).ok());
  ASSERT_EQ(fired.size(), static_cast<size_t>(expected));
  EXPECT_TRUE(std::is_sorted(fired.begin(), fired.end()));
  for (int v : fired) EXPECT_NE(v % 3, 0);
}

TEST(EventLoop, SignalDeliveredAsCallback) {
  auto loop = make_loop();
  SignalInfo got{};
  bool done = false;
  ASSERT_TRUE(loop->on_signal(SIGUSR1, [&](const SignalInfo& si) { got = si; done = true; }).ok());
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);  // blocked now, so it waits in the signalfd
  run_until(*loop, done);
  EXPECT_EQ(got.signo, SIGUSR1);
  EXPECT_EQ(got.pid, ::getpid());
}

TEST(EventLoop, TwoSignalsEachToItsHandler) {
  auto loop = make_loop();
  int usr1 = 0, usr2 = 0;
  ASSERT_TRUE(loop->on_signal(SIGUSR1, [&](const SignalInfo&) { ++usr1; }).ok());
  ASSERT_TRUE(loop->on_signal(SIGUSR2, [&](const SignalInfo&) { ++usr2; }).ok());
  ASSERT_EQ(::kill(::getpid(), SIGUSR2), 0);
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);
  bool done = false;
  for (int i = 0; i < 50 && !done; ++i) {
    ASSERT_TRUE(loop->run_once(100ms).ok());
    done = usr1 == 1 && usr2 == 1;
  }
  EXPECT_EQ(usr1, 1);
  EXPECT_EQ(usr2, 1);
}

TEST(EventLoop, SignalUnblockedAgainAfterLoopIsDestroyed) {
  sigset_t before;
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, nullptr, &before), 0);
  ASSERT_FALSE(sigismember(&before, SIGUSR2));
  {
    auto loop = make_loop();
    ASSERT_TRUE(loop->on_signal(SIGUSR2, [](const SignalInfo&) {}).ok());
    sigset_t during;
    ASSERT_EQ(::sigprocmask(SIG_BLOCK, nullptr, &during), 0);
    EXPECT_TRUE(sigismember(&during, SIGUSR2));
  }
  sigset_t after;
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, nullptr, &after), 0);
  EXPECT_FALSE(sigismember(&after, SIGUSR2));
}

TEST(EventLoop, StopFromFdCallbackEndsRun) {
  auto loop = make_loop();
  Pipe p;
  ASSERT_TRUE(loop->watch(p.r.get(), io::kReadable, [&](uint32_t) { loop->stop(); }).ok());
  loop->after(10ms, [&] { ASSERT_EQ(::write(p.w.get(), "x", 1), 1); });
  ASSERT_TRUE(loop->run().ok());  // returns: the test would hang (and time out) otherwise
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock;
  const auto t = clock.now();
  EXPECT_EQ(clock.now(), t);
  clock.advance(3s);
  EXPECT_EQ(clock.now() - t, 3s);
}

TEST(Fd, MoveTransfersOwnershipAndClosesOnce) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Fd a{fds[0]};
  Fd b{std::move(a)};
  EXPECT_FALSE(a.valid());
  EXPECT_EQ(b.get(), fds[0]);
  b.reset();
  EXPECT_EQ(::fcntl(fds[0], F_GETFD), -1);  // closed
  ::close(fds[1]);
}

}  // namespace
}  // namespace lvsctl
