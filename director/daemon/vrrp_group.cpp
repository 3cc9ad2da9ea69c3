#include "director/daemon/vrrp_group.hpp"

#include <spdlog/spdlog.h>

#include "director/daemon/notify_fifo.hpp"
#include "director/daemon/script_security.hpp"

namespace lvsctl::director {

// A friend of VrrpRunner: reaches its state machine, group slot and perform().
VrrpGroup::VrrpGroup(std::string name, std::vector<VrrpRunner*> members,
                     config::NotifyScripts notify, std::map<std::string, Credentials> notify_as)
    : name_(std::move(name)), members_(std::move(members)), group_([this] {
        std::vector<vrrp::StateMachine*> machines;
        for (auto* r : members_) machines.push_back(&r->machine_);
        return machines;
      }()),
      notify_(std::move(notify)), notify_as_(std::move(notify_as)) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    members_[i]->group_ = this;
    members_[i]->group_index_ = i;
  }
  // A group rebuilt by a reload over running members starts from their state, told already.
  std::vector<vrrp::State> states;
  for (auto* r : members_) states.push_back(r->machine_.state());
  state_ = vrrp::group_state(states, vrrp::State::init);
}

void VrrpGroup::update_state() {
  std::vector<vrrp::State> states;
  for (auto* r : members_) {
    if (r->stopped_) return;
    states.push_back(r->machine_.state());
  }
  const vrrp::State now = vrrp::group_state(states, state_);
  if (now == state_) return;
  state_ = now;
  spdlog::info("VRRP_Group({}) Entering {} STATE", name_, vrrp::to_string(now));
  switch (now) {
    case vrrp::State::master: run(notify_.master, {}); break;
    case vrrp::State::backup: run(notify_.backup, {}); break;
    case vrrp::State::fault: run(notify_.fault, {}); break;
    case vrrp::State::init: break;
  }
  // keepalived's generic script: "GROUP" name state 0.
  run(notify_.any, {"GROUP", name_, std::string(vrrp::to_string(now)), "0"});
  if (!members_.empty()) {
    members_.front()->run_script_.fifo(notify_fifo_line("GROUP", name_, vrrp::to_string(now), 0));
  }
}

void VrrpGroup::member_stopped() {
  if (stopped_) return;
  for (auto* r : members_) {
    if (!r->stopped_) return;
  }
  stopped_ = true;
  run(notify_.stop, {});
  run(notify_.any, {"GROUP", name_, "STOP", "0"});
  if (!members_.empty()) {
    members_.front()->run_script_.fifo(notify_fifo_line("GROUP", name_, "STOP", 0));
  }
}

void VrrpGroup::run(const std::optional<config::ScriptCommand>& script,
                    const std::vector<std::string>& args) {
  if (!script || members_.empty()) return;
  auto as = notify_as_.find(vetting_key(*script));
  const auto& runner = members_.front()->run_script_;
  if (runner && as != notify_as_.end()) runner(script->command, args, as->second);
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
  update_state();
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
    // The group's own notify scripts, vetted as the instances' are.
    const ScriptSecurity security(config.global);
    std::map<std::string, Credentials> notify_as;
    const auto& n = g.notify;
    for (const auto* script : {&n.master, &n.backup, &n.fault, &n.stop, &n.any}) {
      if (!*script || notify_as.count(vetting_key(**script))) continue;
      auto as = security.vet(**script, "notify script");
      if (!as) {
        spdlog::error("VRRP_Group({}) notify script '{}' disabled: {}", g.name,
                      (*script)->command, as.error().message);
        continue;
      }
      notify_as.emplace(vetting_key(**script), *as);
    }
    groups.push_back(
        std::make_unique<VrrpGroup>(g.name, std::move(members), g.notify, std::move(notify_as)));
  }
  return groups;
}

}  // namespace lvsctl::director
