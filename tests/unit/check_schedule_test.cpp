// When checkers probe next (check_schedule): the period holds at delay_loop from the nominal due
// time however late results come, retries count from the failure, and wake-ups fall on the 5 ms
// grid without ever running a probe early or letting the rounding accumulate.
#include <gtest/gtest.h>

#include <vector>

#include "director/check/check_schedule.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

const TimePoint t0 = TimePoint{} + 1000h;  // on the grid

TEST(CheckSchedule, RegularRoundKeepsThePeriodFromTheDueTime) {
  // A check due at t0 that took 300 ms is due again at t0 + 1 s, not at its end + 1 s.
  EXPECT_EQ(next_due(t0, t0 + 300ms, 1s, true), t0 + 1s);
}

TEST(CheckSchedule, LateCheckerSkipsMissedRoundsAndKeepsItsPhase) {
  EXPECT_EQ(next_due(t0, t0 + 2500ms, 1s, true), t0 + 3s);
  EXPECT_EQ(next_due(t0, t0 + 1s, 1s, true), t0 + 1s);
  // Two checkers 0.3 s apart that both fell 5 s behind are still 0.3 s apart in phase afterwards.
  const auto gap = next_due(t0 + 300ms, t0 + 5200ms, 1s, true) - next_due(t0, t0 + 5200ms, 1s, true);
  EXPECT_EQ((gap % 1s + 1s) % 1s, 300ms);
}

TEST(CheckSchedule, RetryCountsFromTheFailure) {
  EXPECT_EQ(next_due(t0, t0 + 300ms, 2s, false), t0 + 2300ms);
}

TEST(CheckSchedule, WakeTimeIsOnTheGridAndNeverEarly) {
  const std::chrono::nanoseconds grid = WakeGrid{1};
  EXPECT_EQ(grid, 20ms);
  EXPECT_EQ(wake_time(t0), t0);
  EXPECT_EQ(wake_time(t0 + 1ns), t0 + grid);
  EXPECT_EQ(wake_time(t0 + grid - 1us), t0 + grid);
  EXPECT_EQ(wake_time(t0 + grid), t0 + grid);
  for (auto d = 0us; d < 4 * grid; d += 333us) {
    const TimePoint w = wake_time(t0 + d);
    EXPECT_GE(w, t0 + d);
    EXPECT_LT(w, t0 + d + grid);
    EXPECT_EQ(w.time_since_epoch() % grid, 0ns);
  }
}

TEST(CheckSchedule, RoundingNeverAccumulatesOverManyPeriods) {
  // Each result arrives 3 ms after its (rounded) wake-up; after 1,000 rounds of a 1.0007 s
  // period the checker is still due exactly 1,000 periods after it started.
  TimePoint due = t0 + 2ms;
  for (int i = 0; i < 1000; ++i) due = next_due(due, wake_time(due) + 3ms, 1000700us, true);
  EXPECT_EQ(due, t0 + 2ms + 1000 * 1000700us);
}

TEST(CheckSchedule, ChecksDueTogetherShareAWakeUp) {
  // 10 checkers due 0.4 ms apart wake at one or two grid points, not ten.
  std::vector<TimePoint> wakes;
  for (int i = 0; i < 10; ++i) {
    const TimePoint w = wake_time(t0 + 1ms + i * 400us);
    if (wakes.empty() || wakes.back() != w) wakes.push_back(w);
  }
  EXPECT_EQ(wakes.size(), 1u);
}

}  // namespace
}  // namespace lvsctl::director::check
