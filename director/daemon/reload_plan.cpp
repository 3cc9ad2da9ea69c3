#include "director/daemon/reload_plan.hpp"

#include <algorithm>

#include "director/daemon/vrrp_signature.hpp"

namespace lvsctl::director {

const char* to_string(ReloadVerdict verdict) {
  switch (verdict) {
    case ReloadVerdict::unchanged: return "unchanged";
    case ReloadVerdict::rejected: return "rejected";
    case ReloadVerdict::apply: return "applied";
  }
  return "?";
}

ReloadVerdict reload_verdict(bool parsed, bool valid, bool datapath_accepts) {
  if (!parsed) return ReloadVerdict::unchanged;
  if (!valid || !datapath_accepts) return ReloadVerdict::rejected;
  return ReloadVerdict::apply;
}

bool VrrpReloadPlan::kept(const std::string& name) const {
  return std::find(keep.begin(), keep.end(), name) != keep.end() ||
         std::find(update.begin(), update.end(), name) != update.end();
}

VrrpReloadPlan plan_vrrp_reload(const config::Config& old_config,
                                const config::Config& new_config,
                                const std::set<std::string>& running) {
  VrrpReloadPlan plan;
  std::set<std::string> wanted;
  for (const auto& instance : new_config.vrrp_instances) {
    wanted.insert(instance.name);
    const auto old = std::find_if(old_config.vrrp_instances.begin(),
                                  old_config.vrrp_instances.end(),
                                  [&](const auto& i) { return i.name == instance.name; });
    if (!running.count(instance.name)) {
      plan.start.push_back(instance.name);
      continue;
    }
    if (old == old_config.vrrp_instances.end()) {  // running but unknown: start afresh
      plan.restart.push_back(instance.name);
      continue;
    }
    switch (classify_vrrp_reload(old_config, *old, new_config, instance)) {
      case VrrpReload::same: plan.keep.push_back(instance.name); break;
      case VrrpReload::update: plan.update.push_back(instance.name); break;
      case VrrpReload::restart: plan.restart.push_back(instance.name); break;
    }
  }
  for (const auto& name : running) {
    if (!wanted.count(name)) plan.stop.push_back(name);
  }
  return plan;
}

}  // namespace lvsctl::director
