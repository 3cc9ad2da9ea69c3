#include "director/vrrp/sync_group.hpp"

#include <algorithm>
#include <utility>

namespace lvsctl::director::vrrp {
namespace {

void merge(Step& into, Step more) {
  into.actions.insert(into.actions.end(), more.actions.begin(), more.actions.end());
  into.wake_at = more.wake_at;  // the later call knows the member's latest timers
  if (more.why.kind != Reason::Kind::none) into.why = std::move(more.why);
}

}  // namespace

SyncGroup::SyncGroup(std::vector<StateMachine*> members) : members_(std::move(members)) {
  for (auto* m : members_) m->set_sync_group(true);
}

std::vector<Step> SyncGroup::after(std::size_t member, Step step, TimePoint now) {
  std::vector<Step> out(members_.size());
  for (std::size_t i = 0; i < members_.size(); ++i) out[i].wake_at = members_[i]->next_wakeup();
  const bool to_master = step.notifies(State::master);
  const bool to_fault = step.notifies(State::fault);
  const bool to_backup = step.notifies(State::backup) && step.has(Action::Kind::remove_vips);
  out[member] = std::move(step);
  const std::string& mover = members_[member]->config().name;

  const bool any_own_fault =
      std::any_of(members_.begin(), members_.end(), [](auto* m) { return m->own_fault(); });
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i == member) continue;
    StateMachine& m = *members_[i];
    if (to_fault || any_own_fault) {
      merge(out[i], m.set_group_fault(true, now));
    } else {
      merge(out[i], m.set_group_fault(false, now));
      if (to_master) merge(out[i], m.force_master(now));
      if (to_backup) merge(out[i], m.force_backup(now));
    }
  }
  if (!any_own_fault) {
    // The member itself may have been held in a group fault.
    merge(out[member], members_[member]->set_group_fault(false, now));
  } else if (!members_[member]->own_fault()) {
    merge(out[member], members_[member]->set_group_fault(true, now));
  }

  // Everyone wants MASTER (or is MASTER already): the group moves.
  const bool all_want = std::all_of(members_.begin(), members_.end(), [](auto* m) {
    return m->wants_master() || m->state() == State::master;
  });
  const bool any_wants =
      std::any_of(members_.begin(), members_.end(), [](auto* m) { return m->wants_master(); });
  if (all_want && any_wants) {
    for (std::size_t i = 0; i < members_.size(); ++i) merge(out[i], members_[i]->force_master(now));
  }
  // Members moved by the group name the member that moved first.
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& why = out[i].why;
    if (i != member && why.kind == Reason::Kind::sync_group && why.name.empty()) why.name = mover;
  }
  return out;
}

State group_state(const std::vector<State>& members, State previous) {
  if (members.empty()) return previous;
  bool all_master = true;
  bool all_backup = true;
  for (State s : members) {
    if (s == State::fault) return State::fault;
    all_master = all_master && s == State::master;
    all_backup = all_backup && s == State::backup;
  }
  if (all_master) return State::master;
  if (all_backup) return State::backup;
  return previous;
}

}  // namespace lvsctl::director::vrrp
