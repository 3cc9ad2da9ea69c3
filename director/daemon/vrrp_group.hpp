#pragma once
// VrrpGroup: one running vrrp_sync_group. Its members' runners send every step of their state
// machines through after(), which asks the pure vrrp::SyncGroup coordinator what the other
// members must do and performs each member's step on its runner.
//
// The group does not own its runners; they must outlive it (the daemon rebuilds all groups
// whenever its set of runners changes, see make_vrrp_groups). Stopped runners ignore steps.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/vrrp/sync_group.hpp"

namespace lvsctl::director {

class VrrpGroup {
 public:
  // `notify` are the group's own scripts (already vetted: `notify_as`, by vetting_key()).
  VrrpGroup(std::string name, std::vector<VrrpRunner*> members, config::NotifyScripts notify = {},
            std::map<std::string, Credentials> notify_as = {});
  ~VrrpGroup();
  VrrpGroup(const VrrpGroup&) = delete;
  VrrpGroup& operator=(const VrrpGroup&) = delete;

  const std::string& name() const { return name_; }
  void after(std::size_t member, vrrp::Step step);
  // A member shut down; once all have, the group's notify_stop and `notify GROUP NAME STOP 0`.
  void member_stopped();

 private:
  std::string name_;
  std::vector<VrrpRunner*> members_;
  vrrp::SyncGroup group_;
  config::NotifyScripts notify_;
  std::map<std::string, Credentials> notify_as_;
  vrrp::State state_ = vrrp::State::init;  // of the whole group, as its scripts were told
  bool stopped_ = false;
  void update_state();
  void run(const std::optional<config::ScriptCommand>& script, const std::vector<std::string>& args);
};

// One VrrpGroup per vrrp_sync_group of `config`, over the runners of its instances (instances
// without a runner are skipped with a warning). Call before the new runners' start().
std::vector<std::unique_ptr<VrrpGroup>> make_vrrp_groups(
    const config::Config& config, const std::map<std::string, std::unique_ptr<VrrpRunner>>& runners);

}  // namespace lvsctl::director
