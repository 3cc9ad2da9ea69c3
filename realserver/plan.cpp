#include "realserver/plan.hpp"

#include <algorithm>
#include <set>

#include "realserver/dr_sysctls.hpp"
#include "realserver/vip_list.hpp"

namespace lvsctl::realserver {

namespace {

// Hands out "lo:N" labels not used by any address on lo nor by this plan.
class LabelPicker {
 public:
  explicit LabelPicker(const Observation& now) {
    for (const auto& a : now.lo) {
      if (!a.label.empty()) used_.insert(a.label);
    }
  }
  bool free(const std::string& label) const { return !used_.contains(label); }
  void take(const std::string& label) { used_.insert(label); }
  std::string next() {
    for (int n = 0;; ++n) {
      std::string label = "lo:" + std::to_string(n);
      if (free(label)) {
        take(label);
        return label;
      }
    }
  }

 private:
  std::set<std::string> used_;
};

bool wanted(const std::vector<IpAddress>& vips, const IpAddress& a) {
  return std::find(vips.begin(), vips.end(), a) != vips.end();
}

}  // namespace

StartPlan plan_start(const std::vector<IpAddress>& vips, const std::optional<State>& previous,
                     const Observation& now) {
  StartPlan plan;
  std::vector<Step> sysctl_steps;
  std::vector<Step> remove_steps;
  std::vector<Step> add_steps;

  // Sysctls: keep the values saved by the first start; save the current ones on a first start.
  // With no IPv4 VIP the ARP sysctls are not needed: give back what an earlier start changed.
  if (has_ipv4(vips)) {
    for (const auto& setting : dr_sysctls()) {
      const SavedSysctl* saved = previous ? previous->saved(setting.key) : nullptr;
      plan.state.saved_sysctls.push_back(
          saved != nullptr ? *saved : SavedSysctl{setting.key, now.sysctl(setting.key)});
      if (now.sysctl(setting.key) != setting.value) {
        sysctl_steps.emplace_back(WriteSysctl{setting.key, setting.value});
      }
    }
  } else if (previous) {
    for (const auto& saved : previous->saved_sysctls) {
      if (now.sysctl(saved.key) != saved.value) {
        sysctl_steps.emplace_back(WriteSysctl{saved.key, saved.value});
      }
    }
  }

  // VIPs we added before and no longer want: remove them if still there.
  if (previous) {
    for (const auto& held : previous->vips) {
      if (!held.added || wanted(vips, held.address)) continue;
      if (const auto* entry = now.on_lo(held.address)) {
        remove_steps.emplace_back(RemoveVip{held.address, entry->prefix_len});
      }
    }
  }

  // Wanted VIPs: keep what is on lo, add what is missing.
  LabelPicker labels(now);
  for (const auto& vip : vips) {
    const HeldVip* before = previous ? previous->held(vip) : nullptr;
    if (const auto* entry = now.on_lo(vip)) {
      // Already there: ours if an earlier start added it, else found and left alone by stop.
      const bool added = before != nullptr && before->added;
      plan.state.vips.push_back({vip, vip.is_v4() ? entry->label : std::string(), added});
      continue;
    }
    std::string label;
    if (vip.is_v4()) {
      if (before != nullptr && !before->label.empty() && labels.free(before->label)) {
        label = before->label;
        labels.take(label);
      } else {
        label = labels.next();
      }
    }
    plan.state.vips.push_back({vip, label, true});
    add_steps.emplace_back(AddVip{vip, label});
  }

  const bool state_changes = !previous || !(*previous == plan.state);
  if (state_changes) plan.steps.emplace_back(SaveState{plan.state});
  // Order matters: the ARP sysctls before any VIP appears on lo.
  for (auto* group : {&sysctl_steps, &remove_steps, &add_steps}) {
    std::move(group->begin(), group->end(), std::back_inserter(plan.steps));
  }
  return plan;
}

std::vector<Step> plan_stop(const std::optional<State>& state, const Observation& now) {
  std::vector<Step> steps;
  if (!state) return steps;
  // VIPs first, so that no VIP is ever on lo with the old ARP behaviour back.
  for (const auto& held : state->vips) {
    if (!held.added) continue;
    if (const auto* entry = now.on_lo(held.address)) {
      steps.emplace_back(RemoveVip{held.address, entry->prefix_len});
    }
  }
  for (const auto& saved : state->saved_sysctls) {
    if (now.sysctl(saved.key) != saved.value) {
      steps.emplace_back(WriteSysctl{saved.key, saved.value});
    }
  }
  steps.emplace_back(RemoveState{});
  return steps;
}

std::string describe(const Step& step) {
  struct Describe {
    std::string operator()(const SaveState&) const { return "save state"; }
    std::string operator()(const RemoveState&) const { return "remove state"; }
    std::string operator()(const WriteSysctl& s) const { return "set " + s.key + " = " + s.value; }
    std::string operator()(const AddVip& s) const {
      return "add " + s.address.to_string() + "/" + std::to_string(s.address.host_prefix_len()) +
             " to lo" + (s.label.empty() ? std::string() : " as " + s.label);
    }
    std::string operator()(const RemoveVip& s) const {
      return "remove " + s.address.to_string() + "/" + std::to_string(s.prefix_len) + " from lo";
    }
  };
  return std::visit(Describe{}, step);
}

}  // namespace lvsctl::realserver
