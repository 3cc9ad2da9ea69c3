#include "shared/log_rate_limit.hpp"

namespace lvsctl {

LogRateLimiter::Line LogRateLimiter::summary(const std::string& reason, State& state,
                                             TimePoint now) {
  Line line{Line::Kind::summary, reason, state.suppressed, state.last_detail};
  state.suppressed = 0;
  state.last_line = now;
  return line;
}

LogRateLimiter::Line LogRateLimiter::occurred(const std::string& reason, const std::string& detail,
                                              TimePoint now) {
  ++totals_[reason];
  auto [it, first] = reasons_.try_emplace(reason);
  State& state = it->second;
  const bool interval_passed = now - state.last_line >= interval_;
  if (first || (state.suppressed == 0 && interval_passed)) {
    state.last_line = now;
    return Line{Line::Kind::full, reason, 0, detail};
  }
  ++state.suppressed;
  state.last_detail = detail;
  if (interval_passed) return summary(reason, state, now);
  return {};
}

std::vector<LogRateLimiter::Line> LogRateLimiter::due(TimePoint now) {
  std::vector<Line> lines;
  for (auto& [reason, state] : reasons_) {
    if (state.suppressed > 0 && now - state.last_line >= interval_) {
      lines.push_back(summary(reason, state, now));
    }
  }
  return lines;
}

std::uint64_t LogRateLimiter::total(const std::string& reason) const {
  auto it = totals_.find(reason);
  return it == totals_.end() ? 0 : it->second;
}

}  // namespace lvsctl
