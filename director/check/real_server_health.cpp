#include "director/check/real_server_health.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace lvsctl::director::check {

RealServerHealth::RealServerHealth(const RealServerConfig& config, CheckerStart start)
    : address_(config.address), configured_weight_(config.weight) {
  for (const auto& c : config.checkers) {
    kinds_.push_back(c.kind);
    checkers_.emplace_back(c, start);
    dynamic_weight_.emplace_back();
    weight_change_.push_back(0);
  }
  healthy_ = all_up();
  weight_ = effective_weight();
}

bool RealServerHealth::all_up() const {
  return std::all_of(checkers_.begin(), checkers_.end(), [](const CheckerState& c) { return c.up(); });
}

int RealServerHealth::effective_weight() const {
  std::int64_t w = configured_weight_;
  for (const auto& d : dynamic_weight_) {
    if (d) w += *d - configured_weight_;
  }
  for (const auto c : weight_change_) w += c;  // each within the int range: no overflow
  return static_cast<int>(std::clamp<std::int64_t>(w, 0, 65535));
}

RealServerHealth::Outcome RealServerHealth::record(std::size_t index, const ProbeResult& result,
                                                   TimePoint now) {
  Outcome out;
  CheckerState& checker = checkers_.at(index);
  const CheckerState::Step step = checker.record(result);
  out.next_delay = step.next_delay;
  last_check_ = LastCheck{kinds_[index], result.success, result.reason, now};
  if (result.success && result.weight) dynamic_weight_[index] = result.weight;
  if (result.weight_change) weight_change_[index] = *result.weight_change;

  const bool was_healthy = healthy_;
  const int old_weight = weight_;
  healthy_ = all_up();
  weight_ = effective_weight();

  if (was_healthy == healthy_ && (!healthy_ || old_weight == weight_)) return out;  // no transition
  const std::string who = to_string(address_);
  if (was_healthy && !healthy_) {
    std::string msg = fmt::format("{} DOWN: {}", who, result.reason);
    if (checker.retry() > 0) msg += fmt::format(", retry {}/{}", step.retries_used, checker.retry());
    out.transition = HealthTransition{false, weight_, std::move(msg)};
  } else if (!was_healthy && healthy_) {
    out.transition = HealthTransition{true, weight_, fmt::format("{} UP: {}", who, result.reason)};
  } else if (healthy_ && old_weight != weight_) {
    out.transition = HealthTransition{
        true, weight_, fmt::format("{} weight {} -> {}: {}", who, old_weight, weight_, result.reason)};
  }
  return out;
}

}  // namespace lvsctl::director::check
