#include "director/check/checker_state.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace lvsctl::director::check {

std::string format_seconds(Duration d) {
  const auto us = d.count();
  if (us % 1'000'000 == 0) return fmt::format("{} s", us / 1'000'000);
  std::string s = fmt::format("{:.6f}", static_cast<double>(us) / 1e6);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s + " s";
}

CheckerState::CheckerState(const Checker& config, CheckerStart start)
    : kind_(config.kind),
      retry_(config.retry),
      delay_loop_(config.delay_loop),
      delay_before_retry_(config.delay_before_retry),
      up_(!config.alpha),
      retry_it_(start == CheckerStart::Daemon ? config.retry : 0) {}

CheckerState::Step CheckerState::record(const ProbeResult& result) {
  absorbed_ = false;
  Step step = result.success ? success() : failure();
  has_run_ = true;
  if (!absorbed_) reported_ = true;
  retrying_ = step.retry;
  return step;
}

CheckerState::Step CheckerState::next(Duration delay) {
  Step step;
  step.next_delay = delay;
  step.retry = delay != delay_loop_;
  return step;
}

CheckerState::Step CheckerState::success() {
  retry_it_ = 0;
  if (failed_) {  // HTTP: keepalived re-checks every url before it believes the server is back
    failed_ = false;
    return next(delay_loop_);
  }
  Step step = next(delay_loop_);
  if (!up_) {
    up_ = true;
    step.became_up = true;
  }
  return step;
}

void CheckerState::go_down(Step& step, unsigned retries_used) {
  step.retries_used = has_run_ ? retries_used : 0;  // none at start-up: the budget starts spent
  if (up_) {
    up_ = false;
    step.became_up = false;
  }
}

CheckerState::Step CheckerState::failure() {
  const bool counts = up_ || !reported_;  // MISC and HTTP stop counting once declared down
  const config::RetryStyle style = config::checker_defaults(kind_).retry_style;
  if (style == config::RetryStyle::Http) {
    const bool declare_down = counts && ++retry_it_ > retry_;
    if (declare_down) failed_ = true;
    absorbed_ = counts && !declare_down;
    Step step = next(failed_ ? std::max(delay_loop_, delay_before_retry_) : delay_before_retry_);
    if (declare_down) go_down(step, retry_);
    return step;
  }
  if (style == config::RetryStyle::WhileUp && !counts) return next(delay_loop_);
  if (retry_it_ < retry_) {  // absorb this failure and try again soon
    ++retry_it_;
    absorbed_ = true;
    return next(delay_before_retry_);
  }
  Step step = next(delay_loop_);
  go_down(step, retry_it_);
  retry_it_ = 0;
  return step;
}

}  // namespace lvsctl::director::check
