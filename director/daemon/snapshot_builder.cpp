#include "director/daemon/snapshot_builder.hpp"

#include <fmt/format.h>

#include "director/daemon/vrrp_script.hpp"

namespace lvsctl::director {
namespace {

double seconds(config::Duration d) { return std::chrono::duration<double>(d).count(); }

VrrpSettingsSnapshot settings_snapshot(const config::Config& config,
                                       const config::VrrpInstance& in) {
  VrrpSettingsSnapshot t;
  t.ipv6 = !in.virtual_ipaddress.empty() &&
           in.virtual_ipaddress.front().prefix.address.family() == AddressFamily::V6;
  t.dont_track_primary = in.dont_track_primary;
  t.strict = config.global.vrrp_strict.has_value();
  if (in.unicast_src_ip) t.src_ip = in.unicast_src_ip->to_string();
  if (in.unicast_peers.empty() && !t.ipv6)
    t.mcast_group = config.global.vrrp_mcast_group4.to_string();
  for (const auto& p : in.unicast_peers) {
    // keepalived's defaults: min_ttl 0, max_ttl 255 (any)
    t.unicast_peers.push_back(fmt::format("{} min_ttl {} max_ttl {}", p.address.to_string(),
                                          p.min_ttl.value_or(0), p.max_ttl.value_or(255)));
  }
  t.check_unicast_src = in.check_unicast_src;
  t.garp_delay = seconds(in.garp_master_delay);
  t.garp_repeat = in.garp_master_repeat;
  t.garp_refresh = seconds(in.garp_master_refresh);
  t.garp_refresh_repeat = in.garp_master_refresh_repeat;
  t.garp_lower_prio_delay = seconds(in.garp_lower_prio_delay);
  t.garp_lower_prio_repeat = in.garp_lower_prio_repeat;
  t.accept = in.accept;
  t.nopreempt = in.nopreempt;
  t.preempt_delay = seconds(in.preempt_delay);
  if (in.auth_type == config::AuthType::Pass) t.auth_type = "SIMPLE_PASSWORD";
  if (in.auth_type == config::AuthType::Ah) t.auth_type = "IPSEC_AH";
  t.auth_pass = in.auth_pass;
  return t;
}

GlobalSettingsSnapshot global_snapshot(const config::GlobalDefs& g) {
  GlobalSettingsSnapshot t;
  t.known = true;
  t.router_id = g.router_id.value_or("");
  t.dynamic_interfaces = g.dynamic_interfaces;
  t.lvs_flush = g.lvs_flush;
  t.garp_delay = seconds(g.vrrp_garp_master_delay);
  t.garp_repeat = g.vrrp_garp_master_repeat;
  t.garp_refresh = seconds(g.vrrp_garp_master_refresh);
  t.garp_refresh_repeat = g.vrrp_garp_master_refresh_repeat;
  if (g.vrrp_garp_lower_prio_delay)
    t.garp_lower_prio_delay = seconds(*g.vrrp_garp_lower_prio_delay);
  t.garp_lower_prio_repeat = g.vrrp_garp_lower_prio_repeat;
  t.garp_interval = seconds(g.vrrp_garp_interval);
  t.gna_interval = seconds(g.vrrp_gna_interval);
  t.mcast_group4 = g.vrrp_mcast_group4.to_string();
  t.vrrp_version = g.vrrp_version;
  t.check_unicast_src = g.vrrp_check_unicast_src;
  t.strict = g.vrrp_strict.has_value();
  return t;
}

VrrpInstanceSnapshot instance_snapshot(const config::Config& config, const VrrpRunner& r) {
  const auto& in = r.instance();
  VrrpInstanceSnapshot s;
  s.name = in.name;
  s.interface = in.interface;
  s.vrid = in.vrid;
  s.version = in.version;
  s.state = vrrp::to_string(r.machine().state());
  s.priority = in.priority;
  s.effective_priority = r.machine().effective_priority();
  s.advert_interval = std::chrono::duration<double>(in.advert_int).count();
  if (auto m = r.machine().master_address()) s.master_address = m->to_string();
  for (const auto& group : config.vrrp_sync_groups) {
    for (const auto& member : group.instances) {
      if (member == in.name) s.sync_group = group.name;
    }
  }
  for (const auto& v : in.virtual_ipaddress) s.vips.push_back(v.prefix.to_string());
  const auto& c = r.counters();
  s.adverts_sent = c.adverts_sent;
  s.adverts_received = c.adverts_received;
  s.adverts_rejected = c.adverts_rejected;
  s.last_rejection = c.last_rejection;
  s.rejected_by_reason = r.rejections_by_reason();
  s.transitions = c.transitions;
  s.become_master = c.become_master;
  s.release_master = c.release_master;
  s.priority_zero_sent = c.priority_zero_sent;
  s.priority_zero_received = c.priority_zero_received;
  s.last_transition = c.last_transition;
  if (const auto& conflict = r.conflict()) {
    s.conflict = VrrpInstanceSnapshot::Conflict{conflict->peer.to_string(), conflict->priority,
                                                r.conflict_since()};
  }
  for (const auto& script : tracked_scripts(config, in)) {
    TrackScriptSnapshot t{script.name, std::nullopt};
    if (auto it = r.script_results().find(script.name); it != r.script_results().end()) {
      t.success = it->second;
    }
    s.track_scripts.push_back(std::move(t));
  }
  s.settings = settings_snapshot(config, in);
  s.settings.master_down_timer_us = r.machine().master_down_interval().count();
  return s;
}

}  // namespace

std::string manifest_hash(const conf::SourceManifest& sources) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a over the manifest's facts
  const auto mix = [&h](std::string_view bytes) {
    for (char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  };
  for (const auto& f : sources.files) {
    mix(f.path);
    mix(fmt::format("|{}|{}|", f.size, f.hash));
  }
  return fmt::format("{:016x}", h);
}

DaemonSnapshot take_snapshot(DaemonSnapshot base, const SnapshotSources& sources) {
  DaemonSnapshot s = std::move(base);
  s.taken = std::chrono::system_clock::now();
  s.vrrp.clear();
  for (const VrrpRunner* r : sources.vrrp) s.vrrp.push_back(instance_snapshot(*sources.config, *r));
  if (sources.config != nullptr) {
    for (const auto& in : sources.config->vrrp_instances) {
      auto it = sources.waiting.find(in.name);
      if (it == sources.waiting.end()) continue;
      VrrpInstanceSnapshot w;
      w.name = in.name;
      w.interface = in.interface;
      w.vrid = in.vrid;
      w.version = in.version;
      w.state = "FAULT";
      w.priority = in.priority;
      w.advert_interval = std::chrono::duration<double>(in.advert_int).count();
      for (const auto& v : in.virtual_ipaddress) w.vips.push_back(v.prefix.to_string());
      w.waiting_for = it->second;
      w.settings = settings_snapshot(*sources.config, in);
      s.vrrp.push_back(std::move(w));
    }
  }
  if (sources.config != nullptr) s.global = global_snapshot(sources.config->global);
  s.virtual_servers = sources.health ? sources.health->snapshot()
                                     : SharedList<VirtualServerSnapshot>{};
  const auto& d = sources.datapath;
  s.datapath.backend = d.backend == datapath::Backend::Ipvs ? "ipvs" : "nftables";
  s.datapath.available = d.available;
  s.datapath.unavailable_reason = d.unavailable_reason;
  s.datapath.requests_sent = d.requests_sent;
  s.datapath.transactions = d.transactions;
  s.datapath.applies = d.applies;
  s.datapath.apply_errors = d.apply_errors;
  s.datapath.table = d.table;
  s.datapath.notes = d.notes;
  return s;
}

}  // namespace lvsctl::director
