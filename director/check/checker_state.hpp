#pragma once
// CheckerState: the up/down state of ONE checker of a real server and when to probe next,
// following keepalived 2.2.7 (check_tcp.c tcp_epilog, check_misc.c, check_http.c epilog; the
// start-up state from check_data.c), which differs by kind:
//   - success: the checker is up; next probe after delay_loop. (HTTP_GET/SSL_GET, after it was
//     declared down: the first success only clears the failure and re-checks after delay_loop;
//     the next success brings it up.)
//   - TCP_CHECK failure, up OR down: retried `retry` times, each after delay_before_retry; the
//     failure after them takes an up checker down and waits delay_loop; then the cycle starts
//     again. A dead server is thus probed retry + 1 times per delay_loop + retry x
//     delay_before_retry.
//   - MISC_CHECK failure: retried the same way while up; a down checker waits delay_loop.
//   - HTTP_GET/SSL_GET failure: retried while up (the failure after `retry` retries takes it
//     down); a down checker waits max(delay_loop, delay_before_retry) (after such a first
//     success, delay_before_retry).
//   - start-up: the retry budget starts spent ("one failure is enough initially"): the first
//     failure of a fresh checker takes it down at once; a checker that is not alpha counts as up
//     before its first probe, with alpha it starts down and the first success brings it up.
//   - added by a reload (SIGHUP; a real server that is not carried over): the same, except that
//     the retry budget starts full (keepalived sets retry_it = retry only when not reloading,
//     check_data.c), so its first failure is retried like any other. Absorbed retries of a
//     MISC_CHECK / HTTP_GET / SSL_GET do not count as having run (keepalived sets has_run only
//     when a result is reported), so an alpha one keeps retrying until it is reported down.
// Pure: no clock, no I/O.
#include <optional>

#include "director/check/check_config.hpp"
#include "director/check/probe_result.hpp"

namespace lvsctl::director::check {

// When a checker starts: with the daemon (or a restart), or added by a reload of a running one.
enum class CheckerStart { Daemon, Reload };

class CheckerState {
 public:
  struct Step {
    Duration next_delay{};           // when to probe again, from now
    bool retry = false;              // that probe is a retry, off the delay_loop period
    std::optional<bool> became_up;   // set when this result changed up/down
    unsigned retries_used = 0;       // retries spent when the checker went down (for the reason)
  };

  explicit CheckerState(const Checker& config, CheckerStart start = CheckerStart::Daemon);

  Step record(const ProbeResult& result);

  bool up() const { return up_; }
  bool has_run() const { return has_run_; }
  unsigned retry() const { return retry_; }
  bool retrying() const { return retrying_; }  // the next probe is a retry (see Step::retry)

 private:
  Step success();
  Step failure();
  Step next(Duration delay);
  void go_down(Step& step, unsigned retries_used);

  CheckerKind kind_;
  unsigned retry_;
  Duration delay_loop_;
  Duration delay_before_retry_;
  bool up_;
  bool has_run_ = false;
  bool reported_ = false;  // keepalived's has_run for MISC/HTTP: a result that was not absorbed
  bool absorbed_ = false;  // the failure being recorded was absorbed by a retry
  bool retrying_ = false;
  unsigned retry_it_;     // keepalived's retry_it: failures absorbed (the budget starts spent)
  bool failed_ = false;  // HTTP_GET/SSL_GET: declared down, not yet seen succeeding again
};

}  // namespace lvsctl::director::check
