#pragma once
// SyncGroup: `vrrp_sync_group { group { A B ... } }` — instances that change state together, so
// that e.g. the outside and inside VIPs of a director always sit on the same node. Pure.
//
// Rules (keepalived's):
//  - a member goes to FAULT: every other member goes to FAULT (a MASTER sends priority 0 first);
//    when no member has a fault of its own any more, all leave FAULT for BACKUP;
//  - a member becomes MASTER (e.g. it received a priority-0 advert and its skew ran out): all do;
//  - a MASTER member sees a better master and drops to BACKUP: all MASTER members do;
//  - a BACKUP member whose Master_Down timer runs out only *wants* MASTER; the group becomes
//    MASTER when every member wants it (keepalived prefers BACKUP to thrashing).
// Usage: run an event on one member, then pass its Step to after(); perform the returned steps
// (index-aligned with the members; untouched members get an empty step).
#include <cstddef>
#include <vector>

#include "director/vrrp/state_machine.hpp"

namespace lvsctl::director::vrrp {

class SyncGroup {
 public:
  // The members must outlive the group; each is marked as a sync group member.
  explicit SyncGroup(std::vector<StateMachine*> members);

  std::vector<Step> after(std::size_t member, Step step, TimePoint now);

  std::size_t size() const { return members_.size(); }

 private:
  std::vector<StateMachine*> members_;
};

// The state of a whole group, for its own notify scripts (keepalived's "GROUP G1 MASTER 0"):
// FAULT when a member is in FAULT, MASTER when every member is, BACKUP when none is MASTER or
// FAULT and none is still in INIT; otherwise (members starting, or moving together this very
// round) `previous` stays.
State group_state(const std::vector<State>& members, State previous);

}  // namespace lvsctl::director::vrrp
