#include "director/check/checker_state.hpp"

#include <fmt/format.h>

namespace lvsctl::director::check {

std::string format_seconds(Duration d) {
  const auto us = d.count();
  if (us % 1'000'000 == 0) return fmt::format("{} s", us / 1'000'000);
  std::string s = fmt::format("{:.6f}", static_cast<double>(us) / 1e6);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s + " s";
}

CheckerState::Step CheckerState::record(const ProbeResult& result) {
  Step step;
  step.next_delay = delay_loop_;
  if (result.success) {
    retry_it_ = 0;
    if (!up_) {
      up_ = true;
      step.became_up = true;
    }
  } else if (up_ && retry_it_ < retry_) {
    ++retry_it_;  // absorb this failure and try again soon
    step.next_delay = delay_before_retry_;
  } else {
    step.retries_used = retry_it_;
    retry_it_ = 0;
    if (up_) {
      up_ = false;
      step.became_up = false;
    }
  }
  has_run_ = true;
  return step;
}

}  // namespace lvsctl::director::check
