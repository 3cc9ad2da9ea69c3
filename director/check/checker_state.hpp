#pragma once
// CheckerState: the up/down state of ONE checker of a real server and when to probe next,
// following keepalived's checker semantics (keepalived.conf(5) retry / delay_before_retry /
// delay_loop / alpha):
//   - success: the checker is up; next probe after delay_loop.
//   - failure of an up checker: retried `retry` times, each after delay_before_retry; when the
//     retries are used up (or retry is 0) the checker goes down; next probe after delay_loop.
//   - failure of a down checker: stays down; next probe after delay_loop.
//   - the first probe of a checker that is not alpha counts as up before it (no transition on
//     success); with alpha it starts down and the first success brings it up.
// Pure: no clock, no I/O.
#include <optional>

#include "director/check/check_config.hpp"
#include "director/check/probe_result.hpp"

namespace lvsctl::director::check {

class CheckerState {
 public:
  struct Step {
    Duration next_delay{};           // when to probe again, from now
    std::optional<bool> became_up;   // set when this result changed up/down
    unsigned retries_used = 0;       // retries spent when the checker went down (for the reason)
  };

  explicit CheckerState(const CheckerConfig& config)
      : retry_(config.retry),
        delay_loop_(config.delay_loop),
        delay_before_retry_(config.delay_before_retry),
        up_(!config.alpha) {}

  Step record(const ProbeResult& result);

  bool up() const { return up_; }
  bool has_run() const { return has_run_; }
  unsigned retry() const { return retry_; }
  unsigned retries_pending() const { return retry_it_; }  // failures absorbed so far

 private:
  unsigned retry_;
  Duration delay_loop_;
  Duration delay_before_retry_;
  bool up_;
  bool has_run_ = false;
  unsigned retry_it_ = 0;
};

}  // namespace lvsctl::director::check
