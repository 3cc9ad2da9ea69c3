#include "director/daemon/vrrp_mapping.hpp"

#include <algorithm>
#include <chrono>

namespace lvsctl::director {
namespace {

std::chrono::milliseconds ms(config::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

vrrp::AuthType auth_of(config::AuthType a) {
  switch (a) {
    case config::AuthType::Pass: return vrrp::AuthType::pass;
    case config::AuthType::Ah: return vrrp::AuthType::ah;
    case config::AuthType::None: break;
  }
  return vrrp::AuthType::none;
}

}  // namespace

vrrp::InstanceConfig vrrp_instance_config(const config::Config& config,
                                          const config::VrrpInstance& in,
                                          const IpAddress& primary_address) {
  vrrp::InstanceConfig out;
  out.name = in.name;
  out.interface = in.interface;
  out.vrid = static_cast<std::uint8_t>(in.vrid);
  out.version = static_cast<std::uint8_t>(in.version);
  out.priority = static_cast<std::uint8_t>(in.priority);
  out.advert_interval = ms(in.advert_int);
  out.start_as_master = in.state == config::VrrpState::Master;
  out.nopreempt = in.nopreempt;
  out.preempt_delay = ms(in.preempt_delay);
  out.auth_type = auth_of(in.auth_type);
  out.auth_pass = in.auth_pass;
  out.primary_address = primary_address;
  for (const auto& vip : in.virtual_ipaddress) out.vips.push_back(vip.prefix.address);
  for (const auto& t : in.track_interfaces) {
    out.track_interfaces.push_back({t.name, t.weight});
  }
  for (const auto& t : in.track_scripts) {
    auto script = std::find_if(config.vrrp_scripts.begin(), config.vrrp_scripts.end(),
                               [&](const auto& s) { return s.name == t.name; });
    if (script == config.vrrp_scripts.end()) continue;  // validation reports it
    out.track_scripts.push_back({t.name, t.weight.value_or(script->weight),
                                 static_cast<int>(script->rise), static_cast<int>(script->fall)});
  }
  for (const auto& t : in.track_files) {
    auto file = std::find_if(config.vrrp_track_files.begin(), config.vrrp_track_files.end(),
                             [&](const auto& f) { return f.name == t.name; });
    if (file == config.vrrp_track_files.end()) continue;  // validation reports it
    out.track_files.push_back({t.name, t.weight.value_or(file->weight), t.reverse || file->reverse});
  }
  // track_process: the instance's own lines, then its sync group's (keepalived: a process both
  // list takes the group's weight, unless the instance's is 0).
  const auto add_process = [&](const config::TrackedScript& t, bool from_group) {
    auto p = std::find_if(config.vrrp_track_processes.begin(), config.vrrp_track_processes.end(),
                          [&](const auto& x) { return x.name == t.name; });
    if (p == config.vrrp_track_processes.end()) return;  // validation reports it
    vrrp::TrackedProcess tp{t.name, t.weight.value_or(p->weight), t.reverse || p->reverse};
    for (auto& have : out.track_processes) {
      if (have.name != tp.name) continue;
      if (from_group && have.weight != 0) have.weight = tp.weight;
      return;
    }
    out.track_processes.push_back(tp);
  };
  for (const auto& t : in.track_processes) add_process(t, false);
  for (const auto& g : config.vrrp_sync_groups) {
    if (g.name != in.sync_group || in.sync_group.empty()) continue;
    for (const auto& t : g.track_processes) add_process(t, true);
  }
  out.garp_master_delay = ms(in.garp_master_delay);
  out.garp_master_repeat = in.garp_master_repeat;
  out.garp_master_refresh = ms(in.garp_master_refresh);
  out.garp_master_refresh_repeat = in.garp_master_refresh_repeat;
  out.garp_lower_prio_delay = ms(in.garp_lower_prio_delay);
  out.garp_lower_prio_repeat = in.garp_lower_prio_repeat;
  return out;
}

}  // namespace lvsctl::director
