#include "director/check/quorum_state.hpp"

#include <fmt/format.h>

namespace lvsctl::director::check {

long QuorumState::threshold() const {
  const long q = static_cast<long>(quorum_);
  const long h = static_cast<long>(hysteresis_);
  return up_ ? q - h : q + h;
}

std::optional<QuorumState::Change> QuorumState::update(long live_weight) {
  const long limit = threshold();
  if (!up_ && live_weight >= limit) {
    up_ = true;
    return Change{true, fmt::format("Gained quorum {}+{}={} <= {}", quorum_, hysteresis_, limit,
                                    live_weight)};
  }
  if (up_ && (live_weight == 0 || live_weight < limit)) {
    up_ = false;
    return Change{false, fmt::format("Lost quorum {}-{}={} > {}", quorum_, hysteresis_, limit,
                                     live_weight)};
  }
  return std::nullopt;
}

}  // namespace lvsctl::director::check
