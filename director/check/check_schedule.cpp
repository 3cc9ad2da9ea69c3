#include "director/check/check_schedule.hpp"

#include <algorithm>

namespace lvsctl::director::check {

TimePoint next_due(TimePoint due, TimePoint now, Duration delay, bool regular) {
  if (!regular) return now + delay;
  TimePoint next = due + delay;
  if (next < now && delay.count() > 0) {
    // Late (a slow check, or a loop that fell behind): skip the missed rounds but keep the
    // checker's phase, so checkers that were spread over the period stay spread.
    next += ((now - next) / delay + 1) * delay;
  }
  return std::max(next, now);
}

TimePoint wake_time(TimePoint due) {
  return TimePoint(std::chrono::ceil<WakeGrid>(due.time_since_epoch()));
}

}  // namespace lvsctl::director::check
