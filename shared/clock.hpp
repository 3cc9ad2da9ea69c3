#pragma once
// Clock: the monotonic time source, behind an interface so pure code (state machines, check
// scheduling) can be driven by tests with ManualClock. Time points are steady_clock time points:
// for SteadyClock they are CLOCK_MONOTONIC; for ManualClock they are whatever the test sets.
#include <chrono>

namespace lvsctl {

class Clock {
 public:
  using duration = std::chrono::steady_clock::duration;
  using time_point = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual time_point now() const = 0;
};

// The real monotonic clock (CLOCK_MONOTONIC).
class SteadyClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }

  // A process-wide instance for code that is handed no clock.
  static const SteadyClock& instance() {
    static const SteadyClock clock;
    return clock;
  }
};

// A clock that moves only when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start = time_point{} + std::chrono::hours(1)) : now_(start) {}
  time_point now() const override { return now_; }
  void advance(duration d) { now_ += d; }
  void set(time_point t) { now_ = t; }

 private:
  time_point now_;
};

}  // namespace lvsctl
