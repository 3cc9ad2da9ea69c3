#include "director/daemon/vrrp_signature.hpp"

#include <fmt/format.h>

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
  std::string sig = fmt::format("{}|{}|{}|{}|{}|{}|{}", m.priority, m.advert_interval.count(),
                                m.start_as_master, m.nopreempt, m.preempt_delay.count(),
                                m.garp_master_delay.count(), m.garp_master_repeat);
  for (const auto& t : m.track_interfaces) sig += fmt::format("|ti:{}", t.weight);
  for (const auto& t : m.track_scripts) sig += fmt::format("|ts:{}", t.weight);
  sig += "|n:" + script(in.notify.master) + script(in.notify.backup) + script(in.notify.fault) +
         script(in.notify.stop) + script(in.notify.any);
  return sig;
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
  for (const auto& t : m.track_scripts) {
    sig += fmt::format("|ts:{}:{}:{}", t.name, t.rise, t.fall);
    // The vrrp_script block itself: a kept runner keeps running the script it started with.
    for (const auto& vs : config.vrrp_scripts) {
      if (vs.name != t.name) continue;
      sig += fmt::format(":{}:{}:{}:{}:{}", script(vs.script), vs.interval.count(),
                         vs.timeout ? vs.timeout->count() : -1, vs.weight_reverse, vs.init_fail);
    }
  }
  // ... plus what the runner itself uses: VIP details, addresses, peers.
  for (const auto& v : in.virtual_ipaddress) {
    sig += fmt::format("|vip:{}:{}:{}:{}", v.prefix.to_string(), v.dev, v.label, v.scope);
  }
  if (in.unicast_src_ip) sig += "|src:" + in.unicast_src_ip->to_string();
  for (const auto& p : in.unicast_peers) sig += "|peer:" + p.address.to_string();
  // Who scripts run as (checked when the runner starts).
  const auto& g = config.global;
  sig += fmt::format("|sec:{}:{}:{}", g.enable_script_security, g.script_user.value_or(""),
                     g.script_group.value_or(""));
  return sig;
}

std::string vrrp_signature(const config::Config& config, const config::VrrpInstance& in) {
  return vrrp_restart_signature(config, in) + "||" + tunables(config, in);
}

VrrpReload classify_vrrp_reload(const config::Config& old_config,
                                const config::VrrpInstance& old_instance,
                                const config::Config& new_config,
                                const config::VrrpInstance& new_instance) {
  if (vrrp_restart_signature(old_config, old_instance) !=
      vrrp_restart_signature(new_config, new_instance)) {
    return VrrpReload::restart;
  }
  if (tunables(old_config, old_instance) != tunables(new_config, new_instance)) {
    return VrrpReload::update;
  }
  return VrrpReload::same;
}

}  // namespace lvsctl::director
