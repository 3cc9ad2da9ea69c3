#include "director/daemon/vrrp_group.hpp"

#include <spdlog/spdlog.h>

namespace lvsctl::director {

// A friend of VrrpRunner: reaches its state machine, group slot and perform().
VrrpGroup::VrrpGroup(std::string name, std::vector<VrrpRunner*> members)
    : name_(std::move(name)), members_(std::move(members)), group_([this] {
        std::vector<vrrp::StateMachine*> machines;
        for (auto* r : members_) machines.push_back(&r->machine_);
        return machines;
      }()) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    members_[i]->group_ = this;
    members_[i]->group_index_ = i;
  }
}

VrrpGroup::~VrrpGroup() {
  // Members may already be gone (the daemon replaces groups after erasing runners); a member
  // still pointing here is re-pointed by the group that replaces this one.
}

void VrrpGroup::after(std::size_t member, vrrp::Step step) {
  auto steps = group_.after(member, std::move(step), members_[member]->loop_.now());
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i != member && !steps[i].actions.empty()) {
      spdlog::debug("VRRP_Group({}) moves {} with {}", name_, members_[i]->instance_.name,
                    members_[member]->instance_.name);
    }
    if (!members_[i]->stopped_) members_[i]->perform(steps[i]);
  }
}

std::vector<std::unique_ptr<VrrpGroup>> make_vrrp_groups(
    const config::Config& config,
    const std::map<std::string, std::unique_ptr<VrrpRunner>>& runners) {
  std::vector<std::unique_ptr<VrrpGroup>> groups;
  for (const auto& [name, runner] : runners) runner->leave_group();
  for (const auto& g : config.vrrp_sync_groups) {
    std::vector<VrrpRunner*> members;
    for (const auto& name : g.instances) {
      auto it = runners.find(name);
      if (it == runners.end()) {
        spdlog::warn("VRRP_Group({}): instance {} is not running; left out", g.name, name);
        continue;
      }
      members.push_back(it->second.get());
    }
    if (members.empty()) continue;
    groups.push_back(std::make_unique<VrrpGroup>(g.name, std::move(members)));
  }
  return groups;
}

}  // namespace lvsctl::director
