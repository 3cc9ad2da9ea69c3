#include "director/daemon/vrrp_signature.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "director/daemon/vrrp_mapping.hpp"

namespace lvsctl::director {
namespace {

std::string script(const config::ScriptCommand& s) {
  return s.command + "|" + s.user.value_or("") + "|" + s.group.value_or("");
}
std::string script(const std::optional<config::ScriptCommand>& s) { return s ? script(*s) : "-"; }

// The settings a running instance can take in place.
std::string tunables(const config::Config& config, const config::VrrpInstance& in) {
  const auto m = vrrp_instance_config(config, in, {});
  std::string sig = fmt::format(
      "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", m.priority, m.advert_interval.count(), m.start_as_master,
      m.nopreempt, m.preempt_delay.count(), m.garp_master_delay.count(), m.garp_master_repeat,
      m.garp_master_refresh.count(), m.garp_master_refresh_repeat, m.garp_lower_prio_delay.count(),
      m.garp_lower_prio_repeat);
  for (const auto& t : m.track_interfaces) sig += fmt::format("|ti:{}", t.weight);
  for (const auto& t : m.track_scripts) sig += fmt::format("|ts:{}", t.weight);
  for (const auto& t : m.track_files) sig += fmt::format("|tf:{}:{}", t.weight, t.reverse);
  for (const auto& t : m.track_processes) sig += fmt::format("|tp:{}:{}", t.weight, t.reverse);
  sig += "|n:" + script(in.notify.master) + script(in.notify.backup) + script(in.notify.fault) +
         script(in.notify.stop) + script(in.notify.any);
  return sig;
}

// How one VIP line is put on the interface, beside its address.
std::string vip_details(const config::VirtualAddress& v) {
  return fmt::format("{}:{}:{}:{}:{}", v.prefix.to_string(),
                     v.broadcast ? v.broadcast->to_string() : "-", v.dev, v.label, v.scope);
}

// "4" or "6" by the first VIP (an empty list: "4"), as the runner picks its primary address;
// "46" when the list mixes families.
std::string vip_families(const std::vector<config::VirtualAddress>& vips) {
  const bool first_v4 = vips.empty() || vips.front().prefix.address.is_v4();
  const bool mixed = std::any_of(vips.begin(), vips.end(), [&](const auto& v) {
    return v.prefix.address.is_v4() != first_v4;
  });
  return std::string(first_v4 ? "4" : "6") + (mixed ? "+" : "");
}

std::string vip_list(const config::VrrpInstance& in) {
  std::string sig;
  for (const auto& v : in.virtual_ipaddress) sig += "|vip:" + vip_details(v);
  for (const auto& v : in.virtual_ipaddress_excluded) sig += "|evip:" + vip_details(v);
  // virtual_routes / virtual_rules change in place (the runner's NetworkSet diffs them).
  for (const auto& r : in.virtual_routes) {
    sig += fmt::format("|vr:{}:{}:{}:{}:{}", r.to_string(), r.protocol, r.effective_scope(), r.tos,
                       r.no_install);
  }
  for (const auto& r : in.virtual_rules) sig += fmt::format("|vu:{}:{}", r.to_string(), r.no_install);
  return sig;
}

// An address both lists keep must keep its every detail (prefix length, dev, label, scope,
// broadcast): such a change is ambiguous in place (which line's address to take down first), so
// it restarts. Addresses only added or only removed change in place.
bool kept_vips_unchanged(const std::vector<config::VirtualAddress>& before,
                         const std::vector<config::VirtualAddress>& after) {
  for (const auto& a : after) {
    for (const auto& b : before) {
      if (a.prefix.address == b.prefix.address && vip_details(a) != vip_details(b)) return false;
    }
  }
  return true;
}

}  // namespace

const char* to_string(VrrpReload kind) {
  switch (kind) {
    case VrrpReload::same: return "unchanged";
    case VrrpReload::update: return "updated in place";
    case VrrpReload::restart: return "restarted";
  }
  return "?";
}

std::string vrrp_restart_signature(const config::Config& config, const config::VrrpInstance& in) {
  // Everything the state machine sees (through the same mapping the runner uses) ...
  const auto m = vrrp_instance_config(config, in, {});
  // The address owner (255) is master at once and ignores tracking: a different kind of
  // instance, so moving to or from 255 restarts.
  std::string sig = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", m.name, m.interface, m.vrid,
                                m.version, m.priority == 255, static_cast<int>(m.auth_type),
                                m.auth_pass, m.track_interfaces.size(), m.track_scripts.size());
  for (const auto& t : m.track_interfaces) sig += fmt::format("|ti:{}", t.name);
  // Tracked files: the runner watches the paths it started with.
  for (const auto& t : m.track_files) {
    sig += "|tf:" + t.name;
    for (const auto& f : config.vrrp_track_files) {
      if (f.name == t.name) sig += ":" + f.path;
    }
  }
  // Tracked processes: the runner's watcher keeps the blocks it started with.
  for (const auto& t : m.track_processes) {
    sig += "|tp:" + t.name;
    for (const auto& p : config.vrrp_track_processes) {
      if (p.name != t.name) continue;
      sig += fmt::format(":{}:{}:{}:{}:{}:{}:{}:{}", p.process, fmt::join(p.params, "\x1f"),
                         static_cast<int>(p.param_match), p.full_command, p.quorum, p.quorum_max,
                         p.fork_delay.count(), p.terminate_delay.count());
    }
  }
  for (const auto& t : m.track_scripts) {
    sig += fmt::format("|ts:{}:{}:{}", t.name, t.rise, t.fall);
    // The vrrp_script block itself: a kept runner keeps running the script it started with.
    for (const auto& vs : config.vrrp_scripts) {
      if (vs.name != t.name) continue;
      sig += fmt::format(":{}:{}:{}:{}:{}", script(vs.script), vs.interval.count(),
                         vs.timeout ? vs.timeout->count() : -1, vs.weight_reverse, vs.init_fail);
    }
  }
  // ... plus what the runner itself uses: the VIPs' family (it chose the primary address and
  // the socket by it; the VIP set itself changes in place, see classify_vrrp_reload), addresses,
  // peers.
  sig += "|vips:" + vip_families(in.virtual_ipaddress);
  if (in.unicast_src_ip) sig += "|src:" + in.unicast_src_ip->to_string();
  for (const auto& p : in.unicast_peers) sig += "|peer:" + p.address.to_string();
  if (in.use_vmac) sig += fmt::format("|vmac:{}:{}", in.vmac_name, in.vmac_xmit_base);
  // Who scripts run as (checked when the runner starts).
  const auto& g = config.global;
  sig += fmt::format("|sec:{}:{}:{}", g.enable_script_security, g.script_user.value_or(""),
                     g.script_group.value_or(""));
  return sig;
}

std::string vrrp_signature(const config::Config& config, const config::VrrpInstance& in) {
  return vrrp_restart_signature(config, in) + "||" + tunables(config, in) + vip_list(in);
}

VrrpReload classify_vrrp_reload(const config::Config& old_config,
                                const config::VrrpInstance& old_instance,
                                const config::Config& new_config,
                                const config::VrrpInstance& new_instance) {
  if (vrrp_restart_signature(old_config, old_instance) !=
      vrrp_restart_signature(new_config, new_instance)) {
    return VrrpReload::restart;
  }
  if (!kept_vips_unchanged(old_instance.virtual_ipaddress, new_instance.virtual_ipaddress) ||
      !kept_vips_unchanged(old_instance.virtual_ipaddress_excluded,
                           new_instance.virtual_ipaddress_excluded)) {
    return VrrpReload::restart;
  }
  if (vip_list(old_instance) != vip_list(new_instance)) return VrrpReload::update;
  if (tunables(old_config, old_instance) != tunables(new_config, new_instance)) {
    return VrrpReload::update;
  }
  return VrrpReload::same;
}

}  // namespace lvsctl::director
