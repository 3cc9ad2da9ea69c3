#include "director/config/validate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace lvsctl::director::config {
namespace {

class Report {
 public:
  explicit Report(conf::Diagnostics& diags) : diags_(diags) {}
  void error(const Location& at, std::string m) {
    diags_.push_back({conf::Severity::Error, at, std::move(m)});
  }
  void warning(const Location& at, std::string m) {
    diags_.push_back({conf::Severity::Warning, at, std::move(m)});
  }

 private:
  conf::Diagnostics& diags_;
};

std::string at_line(const Location& l) {
  return l.file.empty() ? fmt::format("line {}", l.line) : fmt::format("{}:{}", l.file, l.line);
}

std::string address_port(const IpAddress& a, std::uint16_t port) {
  return a.is_v6() ? fmt::format("[{}]:{}", a.to_string(), port)
                   : fmt::format("{}:{}", a.to_string(), port);
}

// ---- VRRP ------------------------------------------------------------------------------------

std::optional<AddressFamily> vip_family(const VrrpInstance& vi) {
  if (vi.virtual_ipaddress.empty()) return std::nullopt;
  return vi.virtual_ipaddress.front().prefix.address.family();
}

void check_instance(Report& r, const VrrpInstance& vi) {
  if (vi.vrid == 0) {
    r.error(vi.where, fmt::format("vrrp_instance {} has no virtual_router_id (1-255)", vi.name));
  }
  if (vi.interface.empty() && (vi.unicast_peers.empty() || !vi.unicast_src_ip)) {
    r.error(vi.where, fmt::format("vrrp_instance {} has no 'interface' (only unicast instances "
                                  "with unicast_src_ip may omit it)",
                                  vi.name));
  }
  if (vi.virtual_ipaddress.empty()) {
    if (vi.version == 3) {
      r.error(vi.where, fmt::format("vrrp_instance {} has no virtual_ipaddress; VRRPv3 needs at "
                                    "least one",
                                    vi.name));
    } else {
      r.warning(vi.where, fmt::format("vrrp_instance {} has no virtual_ipaddress", vi.name));
    }
  }
  if (auto family = vip_family(vi)) {
    for (const auto& va : vi.virtual_ipaddress) {
      if (va.prefix.address.family() != *family) {
        r.error(va.where, fmt::format("vrrp_instance {}: virtual_ipaddress mixes IPv4 and IPv6 "
                                      "({}); put the other family in "
                                      "virtual_ipaddress_excluded",
                                      vi.name, va.prefix.address.to_string()));
      }
    }
    if (*family == AddressFamily::V6 && vi.version == 2) {
      r.error(vi.where, fmt::format("vrrp_instance {} has IPv6 addresses but VRRP version 2; "
                                    "IPv6 needs 'version 3'",
                                    vi.name));
    }
  }
  std::set<IpAddress> seen;
  for (const auto* list : {&vi.virtual_ipaddress, &vi.virtual_ipaddress_excluded}) {
    for (const auto& va : *list) {
      if (!seen.insert(va.prefix.address).second) {
        r.warning(va.where, fmt::format("vrrp_instance {}: {} is listed twice", vi.name,
                                        va.prefix.address.to_string()));
      }
      if (va.prefix.address.is_multicast() || va.prefix.address.is_unspecified()) {
        r.error(va.where, fmt::format("vrrp_instance {}: {} cannot be a virtual address", vi.name,
                                      va.prefix.address.to_string()));
      }
    }
  }
  if (vi.unicast_src_ip) {
    for (const auto& p : vi.unicast_peers) {
      if (p.address.family() != vi.unicast_src_ip->family()) {
        r.error(p.where,
                fmt::format("vrrp_instance {}: unicast peer {} is not of the family of "
                            "unicast_src_ip {}",
                            vi.name, p.address.to_string(), vi.unicast_src_ip->to_string()));
      }
    }
  }
}

bool peers_overlap(const VrrpInstance& a, const VrrpInstance& b) {
  // Two multicast instances always share the group; unicast ones only when a peer is shared.
  if (a.unicast_peers.empty() || b.unicast_peers.empty()) {
    return a.unicast_peers.empty() && b.unicast_peers.empty();
  }
  for (const auto& p : a.unicast_peers) {
    for (const auto& q : b.unicast_peers) {
      if (p.address == q.address) return true;
    }
  }
  return false;
}

void check_vrrp(Report& r, const Config& c) {
  std::unordered_map<std::string, const VrrpInstance*> by_name;
  for (const auto& vi : c.vrrp_instances) {
    auto [it, fresh] = by_name.emplace(vi.name, &vi);
    if (!fresh) {
      r.error(vi.where, fmt::format("vrrp_instance {} is defined twice (first at {})", vi.name,
                                    at_line(it->second->where)));
    }
    check_instance(r, vi);
  }

  // One VRID per interface and address family (unless unicast peers are disjoint).
  std::map<std::tuple<std::string, int, int>, std::vector<const VrrpInstance*>> by_vrid;
  for (const auto& vi : c.vrrp_instances) {
    if (vi.vrid == 0) continue;
    const int family = static_cast<int>(vip_family(vi).value_or(AddressFamily::V4));
    auto& list = by_vrid[{vi.interface, vi.vrid, family}];
    for (const auto* other : list) {
      if (peers_overlap(*other, vi)) {
        r.error(vi.where,
                fmt::format("vrrp_instance {} uses VRID {} on {} like vrrp_instance {} "
                            "({}); each instance on an interface needs its own VRID",
                            vi.name, vi.vrid, vi.interface.empty() ? "no interface" : vi.interface,
                            other->name, at_line(other->where)));
        break;
      }
    }
    list.push_back(&vi);
  }

  // A virtual address belongs to one instance.
  std::map<IpAddress, const VrrpInstance*> owner;
  for (const auto& vi : c.vrrp_instances) {
    for (const auto* list : {&vi.virtual_ipaddress, &vi.virtual_ipaddress_excluded}) {
      for (const auto& va : *list) {
        auto [it, fresh] = owner.emplace(va.prefix.address, &vi);
        if (!fresh && it->second != &vi) {
          r.error(va.where, fmt::format("{} is a virtual address of both vrrp_instance {} and "
                                        "vrrp_instance {}",
                                        va.prefix.address.to_string(), it->second->name, vi.name));
        }
      }
    }
  }

  // Scripts: unique names, unused ones are pointed out (the builder drops references to
  // unknown scripts, with a warning, as keepalived ignores them).
  std::unordered_map<std::string, const VrrpScript*> scripts;
  for (const auto& s : c.vrrp_scripts) {
    auto [it, fresh] = scripts.emplace(s.name, &s);
    if (!fresh) {
      r.error(s.where, fmt::format("vrrp_script {} is defined twice (first at {})", s.name,
                                   at_line(it->second->where)));
    }
  }
  std::unordered_set<std::string> used;
  for (const auto& vi : c.vrrp_instances) {
    for (const auto& t : vi.track_scripts) used.insert(t.name);
  }
  for (const auto& g : c.vrrp_sync_groups) {
    for (const auto& t : g.track_scripts) used.insert(t.name);
  }
  for (const auto& s : c.vrrp_scripts) {
    if (!used.count(s.name)) {
      r.warning(s.where, fmt::format("vrrp_script {} is not tracked by any instance or sync "
                                     "group, so it never runs",
                                     s.name));
    }
  }

  // Track files: every reference resolves; keepalived wants weight 0 for an owner (255) and
  // in a sync group (a weight there is ignored by keepalived unless sync_group_tracking_weight).
  for (const auto& vi : c.vrrp_instances) {
    for (const auto& t : vi.track_files) {
      const auto f = std::find_if(c.vrrp_track_files.begin(), c.vrrp_track_files.end(),
                                  [&](const auto& x) { return x.name == t.name; });
      if (f == c.vrrp_track_files.end()) {
        r.error(t.where, fmt::format("vrrp_instance {} tracks file '{}', but no track_file has "
                                     "that name",
                                     vi.name, t.name));
      }
    }
  }

  // Track processes: every reference (instance or sync group) resolves (keepalived: "track
  // process NAME not found", a configuration error).
  auto check_processes = [&](const std::vector<TrackedScript>& list, const std::string& who) {
    for (const auto& t : list) {
      const auto f = std::find_if(c.vrrp_track_processes.begin(), c.vrrp_track_processes.end(),
                                  [&](const auto& x) { return x.name == t.name; });
      if (f == c.vrrp_track_processes.end()) {
        r.error(t.where, fmt::format("{} tracks process '{}', but no vrrp_track_process has "
                                     "that name",
                                     who, t.name));
      }
    }
  };
  for (const auto& vi : c.vrrp_instances) {
    check_processes(vi.track_processes, "vrrp_instance " + vi.name);
  }
  for (const auto& g : c.vrrp_sync_groups) {
    check_processes(g.track_processes, "vrrp_sync_group " + g.name);
  }

  // Sync groups: members exist and belong to one group.
  std::unordered_map<std::string, const VrrpSyncGroup*> member_of;
  std::unordered_set<std::string> group_names;
  for (const auto& g : c.vrrp_sync_groups) {
    if (!group_names.insert(g.name).second) {
      r.error(g.where, fmt::format("vrrp_sync_group {} is defined twice", g.name));
    }
    if (g.instances.empty()) {
      r.error(g.where, fmt::format("vrrp_sync_group {} has no 'group' members", g.name));
    } else if (g.instances.size() == 1) {
      r.warning(g.where, fmt::format("vrrp_sync_group {} has a single member; a sync group "
                                     "needs two or more to mean anything",
                                     g.name));
    }
    for (std::size_t i = 0; i < g.instances.size(); ++i) {
      const std::string& m = g.instances[i];
      const Location& where = i < g.instance_where.size() ? g.instance_where[i] : g.where;
      if (!by_name.count(m)) {
        r.error(where, fmt::format("vrrp_sync_group {} lists '{}', but no vrrp_instance has that "
                                   "name",
                                   g.name, m));
        continue;
      }
      auto [it, fresh] = member_of.emplace(m, &g);
      if (!fresh) {
        r.error(where, fmt::format("vrrp_instance {} is in both vrrp_sync_group {} and {}", m,
                                   it->second->name, g.name));
      }
    }
  }
}

// ---- LVS -------------------------------------------------------------------------------------

void check_real_server_ports(Report& r, const VirtualServer& vs, const RealServer& rs,
                             const VirtualServerGroup* group) {
  if (rs.method == ForwardingMethod::Nat || rs.port == 0) return;
  auto mismatch = [&](std::uint16_t service_port) {
    r.error(rs.where, fmt::format("real_server {} of virtual_server {}: with {} the real server "
                                  "port must equal the service port {} (IPVS cannot rewrite "
                                  "ports without NAT)",
                                  address_port(rs.address, rs.port), vs.display_name(),
                                  to_string(rs.method), service_port));
  };
  if (vs.kind == VirtualServerKind::Address) {
    if (vs.port != 0 && rs.port != vs.port) mismatch(vs.port);
  } else if (group != nullptr) {
    for (const auto& range : group->ranges) {
      if (range.port != 0 && range.port != rs.port) {
        mismatch(range.port);
        break;
      }
    }
  }
}

void check_virtual_server(Report& r, const VirtualServer& vs, const VirtualServerGroup* group) {
  // Formatted only for a message: 10,000 services must not pay for it.
  const auto name = [&vs] { return vs.display_name(); };
  if (vs.real_servers.empty()) {
    if (vs.sorry_server) {
      r.warning(vs.where, fmt::format("virtual_server {} has no real_server; only its "
                                      "sorry_server will serve",
                                      name()));
    } else {
      r.error(vs.where, fmt::format("virtual_server {} has no real_server", name()));
    }
  }
  std::optional<AddressFamily> family = vs.ip_family;
  if (vs.kind == VirtualServerKind::Address) family = vs.address.family();
  if (vs.persistence_granularity && family == AddressFamily::V6 &&
      vs.persistence_granularity->find('.') != std::string::npos) {
    r.error(vs.where, fmt::format("virtual_server {}: persistence_granularity {} is an IPv4 "
                                  "netmask on an IPv6 service",
                                  name(), *vs.persistence_granularity));
  }
  if (vs.sorry_server && family && vs.sorry_server->address.family() != *family &&
      vs.method != ForwardingMethod::Tun) {
    r.error(vs.sorry_server->where,
            fmt::format("virtual_server {}: sorry_server {} is not of the service's address "
                        "family",
                        name(), vs.sorry_server->address.to_string()));
  }

  std::set<std::pair<IpAddress, std::uint16_t>> seen;
  long long total_weight = 0;
  for (const auto& rs : vs.real_servers) {
    total_weight += rs.weight;
    if (!seen.emplace(rs.address, rs.port).second) {
      r.error(rs.where, fmt::format("virtual_server {}: real_server {} is listed twice", name(),
                                    address_port(rs.address, rs.port)));
    }
    if (family && rs.address.family() != *family && rs.method != ForwardingMethod::Tun) {
      r.error(rs.where, fmt::format("virtual_server {}: real_server {} is not of the service's "
                                    "address family (only TUN may mix families)",
                                    name(), rs.address.to_string()));
    }
    check_real_server_ports(r, vs, rs, group);
    for (const auto& c : rs.checkers) {
      const bool connects = checker_defaults(c.kind).connects;
      if (connects && c.connect.port == 0) {
        r.error(c.where, fmt::format("{} of real_server {} has no port to connect to; give the "
                                     "real server a port or set connect_port",
                                     to_string(c.kind), rs.address.to_string()));
      }
      if (connects && c.bindto && c.bindto->family() != c.connect.ip.family()) {
        r.error(c.where, fmt::format("{} of real_server {}: bindto {} and connect_ip {} are of "
                                     "different address families",
                                     to_string(c.kind), rs.address.to_string(),
                                     c.bindto->to_string(), c.connect.ip.to_string()));
      }
    }
  }
  if (!vs.real_servers.empty() && vs.quorum > total_weight) {
    r.warning(vs.where, fmt::format("virtual_server {}: quorum {} exceeds the total weight {} of "
                                    "its real servers, so it can never be reached",
                                    name(), vs.quorum, total_weight));
  }
  if (vs.hysteresis >= vs.quorum) {
    r.warning(vs.where, fmt::format("virtual_server {}: hysteresis {} should be below quorum {}",
                                    name(), vs.hysteresis, vs.quorum));
  }
}

std::string service_key(const VirtualServer& vs) {
  const char* proto = vs.protocol ? to_string(*vs.protocol) : "-";
  switch (vs.kind) {
    case VirtualServerKind::Fwmark:
      return fmt::format("fwmark {} {}", vs.fwmark,
                         vs.ip_family == AddressFamily::V6 ? "inet6" : "inet");
    case VirtualServerKind::Group:
      return fmt::format("group {} {}", vs.group, proto);
    case VirtualServerKind::Address:
      break;
  }
  // Address, port and protocol as raw bytes: cheap for 10,000 services, unique all the same.
  const auto bytes = vs.address.bytes();
  std::string key(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  key += vs.address.is_v4() ? '4' : '6';
  key += static_cast<char>(vs.port >> 8);
  key += static_cast<char>(vs.port & 0xff);
  return key + proto;
}

void check_lvs(Report& r, const Config& c) {
  std::unordered_map<std::string, const VirtualServerGroup*> groups;
  for (const auto& g : c.virtual_server_groups) {
    if (!groups.emplace(g.name, &g).second) {
      r.error(g.where, fmt::format("virtual_server_group {} is defined twice", g.name));
    }
  }
  std::unordered_set<std::string> used_groups;
  std::unordered_map<std::string, const VirtualServer*> services;
  services.reserve(c.virtual_servers.size());
  for (const auto& vs : c.virtual_servers) {
    const VirtualServerGroup* group = nullptr;
    if (vs.kind == VirtualServerKind::Group) {
      used_groups.insert(vs.group);
      auto it = groups.find(vs.group);
      if (it == groups.end()) {
        r.error(vs.where, fmt::format("virtual_server group {}: no virtual_server_group has that "
                                      "name",
                                      vs.group));
      } else {
        group = it->second;
      }
    }
    auto [it, fresh] = services.emplace(service_key(vs), &vs);
    if (!fresh) {
      r.error(vs.where, fmt::format("virtual_server {} is defined twice (first at {})",
                                    vs.display_name(), at_line(it->second->where)));
    }
    check_virtual_server(r, vs, group);
  }
  for (const auto& g : c.virtual_server_groups) {
    if (!used_groups.count(g.name)) {
      r.warning(g.where,
                fmt::format("virtual_server_group {} is not used by any virtual_server", g.name));
    }
  }
}

void check_scripts_security(Report& r, const Config& c) {
  if (c.global.enable_script_security) return;
  const ScriptCommand* first = nullptr;
  auto consider = [&](const std::optional<ScriptCommand>& s) {
    if (s && first == nullptr) first = &*s;
  };
  for (const auto& s : c.vrrp_scripts) {
    if (first == nullptr && !s.script.command.empty()) first = &s.script;
  }
  for (const auto& vi : c.vrrp_instances) {
    for (const auto* n : {&vi.notify.master, &vi.notify.backup, &vi.notify.fault, &vi.notify.stop,
                          &vi.notify.any}) {
      consider(*n);
    }
  }
  if (first != nullptr) {
    r.warning(first->where,
              "scripts are configured but global_defs has no "
              "enable_script_security; keepalived runs them without checking who "
              "can modify them");
  }
}

}  // namespace

void validate_config(const Config& config, conf::Diagnostics& diags) {
  Report r(diags);
  check_vrrp(r, config);
  check_lvs(r, config);
  check_scripts_security(r, config);
}

}  // namespace lvsctl::director::config
