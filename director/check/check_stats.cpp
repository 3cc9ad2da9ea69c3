#include "director/check/check_stats.hpp"

namespace lvsctl::director::check {

void DurationHistogram::observe(double seconds) {
  std::size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
  ++counts[bucket];
  sum_seconds += seconds;
  ++count;
}

void CheckStats::record(bool success, const std::string& reason, double seconds,
                        std::chrono::system_clock::time_point at) {
  duration.observe(seconds);
  if (success) {
    ++successes;
    return;
  }
  ++failures;
  last_failure_reason = reason;
  last_failure_at = at;
}

void CheckStats::transition(std::chrono::system_clock::time_point at) {
  ++transitions;
  last_transition_at = at;
}

}  // namespace lvsctl::director::check
