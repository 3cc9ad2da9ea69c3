#pragma once
// QuorumState: whether a virtual server holds its quorum (keepalived.conf(5) `quorum`,
// `hysteresis`), judged from the summed weight of its live real servers. Pure.
//
// keepalived's semantics: a virtual server starts without quorum; it gains quorum once the live
// weight reaches quorum + hysteresis, and loses it when the live weight falls below
// quorum - hysteresis, or to 0 (so quorum 1 with hysteresis 1 still drops when nothing is left).
#include <optional>
#include <string>

namespace lvsctl::director::check {

class QuorumState {
 public:
  QuorumState(unsigned quorum, unsigned hysteresis) : quorum_(quorum), hysteresis_(hysteresis) {}

  struct Change {
    bool up = false;
    std::string message;  // "Gained quorum 3+1=4 <= 4" / "Lost quorum 3-1=2 > 1"
  };
  // Feeds the current live weight; returns the change when the state flipped.
  std::optional<Change> update(long live_weight);

  bool up() const { return up_; }
  bool same_settings(const QuorumState& other) const {
    return quorum_ == other.quorum_ && hysteresis_ == other.hysteresis_;
  }
  // The live weight the next change is judged against (quorum +/- hysteresis).
  long threshold() const;

 private:
  unsigned quorum_;
  unsigned hysteresis_;
  bool up_ = false;
};

}  // namespace lvsctl::director::check
