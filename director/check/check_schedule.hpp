#pragma once
// When each checker probes next, pure. A checker keeps a nominal due time: a regular round is due
// delay_loop after the previous probe was DUE (not after it ended), so the period holds at
// delay_loop however long checks take; a retry is due delay_before_retry after the failure.
// The loop is woken on a 20 ms grid (wake_time), so checks due within the same 20 ms start in
// one wake-up (one sendmmsg of SYNs) and their answers come back in one read, instead of a
// wake-up and a context switch per check: each grid point costs two sleeps and wake-ups whatever
// it carries (about 80 us on the host, 1 ms under TCG), so 50 points a second instead of 200.
// The rounding delays one probe by less than 20 ms (2% of a 1 s delay_loop) and never
// accumulates, because the next due time is computed from the nominal one.
#include <chrono>

#include "director/check/check_config.hpp"

namespace lvsctl::director::check {

using TimePoint = std::chrono::steady_clock::time_point;

using WakeGrid = std::chrono::duration<std::int64_t, std::ratio<20, 1000>>;  // 20 ms

// The due time of the next probe after one that was due at `due` and reported at `now`:
// `regular` rounds keep the period: due + delay, or when that has passed the next due + k x delay
// after now (a late checker neither catches up with a burst nor loses its phase, so checks
// stay spread over the period); otherwise (a retry) now + delay.
TimePoint next_due(TimePoint due, TimePoint now, Duration delay, bool regular);

// `due` rounded up to the wake grid: never before `due`, less than one WakeGrid after it.
TimePoint wake_time(TimePoint due);

}  // namespace lvsctl::director::check
