#pragma once
// When each checker probes next, pure. A checker keeps a nominal due time: a regular round is due
// delay_loop after the previous probe was DUE (not after it ended), so the period holds at
// delay_loop however long checks take; a retry is due delay_before_retry after the failure.
// The loop is woken on a 5 ms grid (wake_time), so checks due within the same few milliseconds
// start in one wake-up and their connects complete in one epoll_wait, instead of a wake-up and
// a context switch per check; the rounding delays one probe by less than 5 ms and never
// accumulates, because the next due time is computed from the nominal one.
#include <chrono>

#include "director/check/check_config.hpp"

namespace lvsctl::director::check {

using TimePoint = std::chrono::steady_clock::time_point;

using WakeGrid = std::chrono::duration<std::int64_t, std::ratio<5, 1000>>;  // 5 ms

// The due time of the next probe after one that was due at `due` and reported at `now`:
// `regular` rounds keep the period: due + delay, or when that has passed the next due + k x delay
// after now (a late checker neither catches up with a burst nor loses its phase, so checks
// stay spread over the period); otherwise (a retry) now + delay.
TimePoint next_due(TimePoint due, TimePoint now, Duration delay, bool regular);

// `due` rounded up to the wake grid: never before `due`, less than one WakeGrid after it.
TimePoint wake_time(TimePoint due);

}  // namespace lvsctl::director::check
