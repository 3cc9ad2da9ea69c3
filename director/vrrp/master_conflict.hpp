#pragma once
// MasterConflictDetector: spots two masters for one VRID on a link from the adverts seen on the
// wire (what `lvsctl director watch` flags; a firewall dropping VRRP is the usual cause). Pure.
//
// A source is "advertising" from its first advert with priority > 0 until it is silent for its
// Master_Down_Interval or sends priority 0. While another source is advertising, an advert is a
// conflict when the other's priority is no lower and it has been advertising for half an
// interval (long enough to be heard), or when both kept advertising well after the other started.
// This does not flag a normal failover (the old master's silence exceeds its Master_Down before
// the backup speaks) or a preemption (the better node starts, the old master stops at once; an
// advert crossing on the wire is tolerated); a split brain is flagged within about an interval.
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/state_machine.hpp"

namespace lvsctl::director::vrrp {

struct MasterConflict {
  uint8_t vrid = 0;
  uint8_t version = 0;
  IpAddress first;  // the source that was advertising already
  uint8_t first_priority = 0;
  IpAddress second;  // the source whose advert revealed the conflict
  uint8_t second_priority = 0;
};

class MasterConflictDetector {
 public:
  // Records `advert` (already accepted by decode()) seen at `now`. Returns a conflict the first
  // time it is seen; a pair is reported again only after it has been resolved in between.
  // An advert without a source address is ignored (nothing to tell its sender apart by).
  std::optional<MasterConflict> observe(const Advert& advert, TimePoint now);

  // At most this many sources per (family, version, VRID) are tracked: a new source beyond it
  // first evicts the silent ones, and is ignored while the others are all live (a flood of
  // adverts from forged sources costs bounded memory and time).
  static constexpr std::size_t kMaxSources = 64;
  std::size_t tracked() const;  // sources tracked, over all VRIDs

 private:
  struct Speaker {
    TimePoint run_start;
    TimePoint last;
    uint8_t priority = 0;
    Micros interval{0};
    Micros window{0};  // its Master_Down_Interval
    bool advertising = false;
  };
  using Key = std::tuple<AddressFamily, uint8_t, uint8_t>;  // family, version, VRID
  std::map<Key, std::map<IpAddress, Speaker>> speakers_;
  std::map<std::tuple<Key, IpAddress, IpAddress>, bool> reported_;
};

// Another master for our instance's VRID, as a MASTER instance sees it: the peer it hears
// advertising while it stays MASTER (it does not yield to lower or equal-priority-lower-address
// adverts), typically because the peer cannot hear it (a firewall dropping VRRP one way).
struct PeerMaster {
  IpAddress peer;
  uint8_t priority = 0;
  TimePoint since;       // when it was noticed
  TimePoint last_heard;  // its last advert
  Micros window{0};      // its Master_Down_Interval: silent that long, it is gone
};

// SplitBrainMonitor: one instance's view of a conflict, on top of MasterConflictDetector (fed
// with our own adverts and the peers'). A conflict starts when the detector flags a pair of us
// and a peer while we stay MASTER; it ends when the peer falls silent for its
// Master_Down_Interval, sends priority 0, or we are no longer MASTER. Pure.
class SplitBrainMonitor {
 public:
  struct Change {
    enum class Kind : uint8_t { none, started, ended };
    Kind kind = Kind::none;
    PeerMaster peer;  // started: the new one; ended: the one that ended
    explicit operator bool() const { return kind != Kind::none; }
  };

  // Our own advert (any priority) as sent at `now`.
  void sent(const Advert& ours, TimePoint now);
  // A peer's accepted advert, and whether we are MASTER after handling it.
  Change heard(const Advert& theirs, bool master, TimePoint now);
  // Periodically and after state changes: ends a conflict whose peer went silent, or when we
  // are no longer MASTER.
  Change check(bool master, TimePoint now);

  const std::optional<PeerMaster>& current() const { return current_; }

 private:
  Change end(TimePoint now);
  MasterConflictDetector detector_;
  std::optional<IpAddress> own_;
  std::optional<PeerMaster> current_;
};

}  // namespace lvsctl::director::vrrp
