#include "director/daemon/snapshot_builder.hpp"

#include <fmt/format.h>

#include "director/daemon/vrrp_script.hpp"

namespace lvsctl::director {
namespace {

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
      s.vrrp.push_back(std::move(w));
    }
  }
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
