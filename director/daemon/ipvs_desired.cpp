#include "director/daemon/ipvs_desired.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>

namespace lvsctl::director {
namespace {

using config::ForwardingMethod;
using config::VirtualServer;

ipvs::Protocol protocol_of(const VirtualServer& vs) {
  switch (vs.protocol.value_or(config::Protocol::Tcp)) {
    case config::Protocol::Udp: return ipvs::Protocol::Udp;
    case config::Protocol::Sctp: return ipvs::Protocol::Sctp;
    case config::Protocol::Tcp: break;
  }
  return ipvs::Protocol::Tcp;
}

ipvs::Forwarding forwarding_of(ForwardingMethod m) {
  switch (m) {
    case ForwardingMethod::Dr: return ipvs::Forwarding::DirectRouting;
    case ForwardingMethod::Tun: return ipvs::Forwarding::Tunnel;
    case ForwardingMethod::Nat: break;
  }
  return ipvs::Forwarding::Nat;
}

// persistence_granularity: an IPv4 netmask ("255.255.255.0") or an IPv6 prefix length ("64").
std::optional<std::uint32_t> netmask_of(const VirtualServer& vs, AddressFamily family) {
  if (!vs.persistence_granularity) return std::nullopt;
  const std::string& g = *vs.persistence_granularity;
  if (family == AddressFamily::V6) return static_cast<std::uint32_t>(std::stoul(g));
  in_addr mask{};
  if (::inet_pton(AF_INET, g.c_str(), &mask) != 1) return std::nullopt;  // validated earlier
  return ntohl(mask.s_addr);
}

// The service settings shared by every key a virtual server expands to.
ipvs::Service service_settings(const VirtualServer& vs, AddressFamily family) {
  ipvs::Service s;
  s.scheduler = vs.scheduler;
  // flag-1..flag-3 are the kernel's IP_VS_SVC_F_SCHED1..3 (sh/mh: fallback, port).
  if (vs.scheduler_flags & 1U) s.flags |= ipvs::service_flag::sched1;
  if (vs.scheduler_flags & 2U) s.flags |= ipvs::service_flag::sched2;
  if (vs.scheduler_flags & 4U) s.flags |= ipvs::service_flag::sched3;
  if (vs.one_packet) s.flags |= ipvs::service_flag::one_packet;
  if (vs.persistence_timeout > 0) {
    s.flags |= ipvs::service_flag::persistent;
    s.timeout = vs.persistence_timeout;
    s.netmask = netmask_of(vs, family);
  }
  return s;
}

std::vector<ipvs::ServiceKey> keys_of(const config::Config& cfg, const VirtualServer& vs) {
  std::vector<ipvs::ServiceKey> keys;
  switch (vs.kind) {
    case config::VirtualServerKind::Address:
      keys.push_back(ipvs::ServiceKey::inet(protocol_of(vs), vs.address, vs.port));
      break;
    case config::VirtualServerKind::Fwmark:
      keys.push_back(ipvs::ServiceKey::mark(vs.fwmark, vs.ip_family.value_or(AddressFamily::V4)));
      break;
    case config::VirtualServerKind::Group: {
      auto group = std::find_if(cfg.virtual_server_groups.begin(), cfg.virtual_server_groups.end(),
                                [&](const auto& g) { return g.name == vs.group; });
      if (group == cfg.virtual_server_groups.end()) break;  // validation reports it
      for (const auto& range : group->ranges) {
        // Ranges vary the last byte of the address (keepalived: "10.0.0.1-10").
        const std::span<const std::uint8_t> first = range.first.bytes();
        const std::span<const std::uint8_t> last = range.last.bytes();
        const std::size_t at = first.size() - 1;
        const unsigned last_byte = at < last.size() ? last[at] : 0U;  // families match once valid
        std::array<std::uint8_t, 16> bytes{};
        std::copy(first.begin(), first.end(), bytes.begin());
        for (unsigned b = first[at]; b <= last_byte; ++b) {
          bytes[at] = static_cast<std::uint8_t>(b);
          const auto addr = *IpAddress::from_bytes(std::span(bytes).first(first.size()));
          keys.push_back(ipvs::ServiceKey::inet(protocol_of(vs), addr,
                                                range.port ? range.port : vs.port));
        }
      }
      for (const auto& mark : group->fwmarks) {
        keys.push_back(
            ipvs::ServiceKey::mark(mark.fwmark, mark.family.value_or(AddressFamily::V4)));
      }
      break;
    }
  }
  return keys;
}

// Equal for the kernel: key, settings and destinations (in order) with their settings.
bool same_service(const ipvs::Service& a, const ipvs::Service& b) {
  if (!(a.key == b.key) || !a.same_settings(b) || a.destinations.size() != b.destinations.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.destinations.size(); ++i) {
    if (!a.destinations[i].same_settings(b.destinations[i])) return false;
  }
  return true;
}

// The services of virtual server `v` (one per key it expands to), appended to `out`.
void append_services(const config::Config& config, std::size_t v, const HealthLookup& health,
                     ipvs::Table& out) {
  const VirtualServer& vs = config.virtual_servers[v];
  // Without quorum the sorry server stands in for the real servers (keepalived).
  const bool sorry = vs.sorry_server && !health.quorum_up(v);
  std::vector<ipvs::Destination> dests;
  for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
    const config::RealServer& rs = vs.real_servers[r];
    const DestinationHealth h = health.real_server(v, r);
    const bool serving = h.up && !sorry;
    if (!serving && !rs.inhibit_on_failure) continue;
    ipvs::Destination d;
    d.address = rs.address;
    d.port = rs.port;
    d.forwarding = forwarding_of(rs.method);
    d.weight = serving ? h.weight : 0;
    dests.push_back(d);
  }
  if (vs.sorry_server && (sorry || vs.sorry_server->inhibit)) {
    ipvs::Destination d;
    d.address = vs.sorry_server->address;
    d.port = vs.sorry_server->port ? vs.sorry_server->port : vs.port;
    d.forwarding = forwarding_of(vs.sorry_server->method.value_or(vs.method));
    d.weight = sorry ? 1 : 0;
    dests.push_back(d);
  }
  for (const auto& key : keys_of(config, vs)) {
    ipvs::Service s = service_settings(vs, key.family);
    s.key = key;
    s.destinations = dests;
    out.push_back(std::move(s));
  }
}

}  // namespace

long live_weight(const config::Config& config, std::size_t vs,
                 const std::function<DestinationHealth(std::size_t vs, std::size_t rs)>& health) {
  long sum = 0;
  for (std::size_t r = 0; r < config.virtual_servers[vs].real_servers.size(); ++r) {
    const DestinationHealth h = health(vs, r);
    if (h.up) sum += h.weight;
  }
  return sum;
}

HealthLookup all_healthy(const config::Config& config) {
  HealthLookup lookup;
  lookup.real_server = [&config](std::size_t vs, std::size_t rs) {
    return DestinationHealth{true, config.virtual_servers[vs].real_servers[rs].weight};
  };
  lookup.quorum_up = [&config, health = lookup.real_server](std::size_t vs) {
    return live_weight(config, vs, health) >= static_cast<long>(config.virtual_servers[vs].quorum);
  };
  return lookup;
}

ipvs::Table desired_table(const config::Config& config, const HealthLookup& health) {
  ipvs::Table table;
  for (std::size_t v = 0; v < config.virtual_servers.size(); ++v) {
    append_services(config, v, health, table);
  }
  return table;
}

void DesiredTable::rebuild(const config::Config& config, const HealthLookup& health) {
  table_.clear();
  first_.assign(config.virtual_servers.size() + 1, 0);
  for (std::size_t v = 0; v < config.virtual_servers.size(); ++v) {
    first_[v] = table_.size();
    append_services(config, v, health, table_);
  }
  first_.back() = table_.size();
  // The first service of a key wins (ipvs::plan, nftlb::build_table): later ones are shadowed.
  std::vector<std::size_t> order(table_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return table_[a].key < table_[b].key;
  });
  shadowed_.assign(table_.size(), false);
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (table_[order[i]].key == table_[order[i - 1]].key) shadowed_[order[i]] = true;
  }
}

std::optional<std::vector<ipvs::Service>> DesiredTable::update(
    const config::Config& config, const HealthLookup& health,
    std::span<const std::size_t> changed) {
  if (first_.size() != config.virtual_servers.size() + 1) {
    rebuild(config, health);  // built for another configuration: the whole table is new
    return std::nullopt;
  }
  std::vector<ipvs::Service> delta;
  ipvs::Table fresh;
  for (const std::size_t v : changed) {
    if (v >= config.virtual_servers.size()) continue;
    fresh.clear();
    append_services(config, v, health, fresh);
    if (fresh.size() != first_[v + 1] - first_[v]) {  // cannot happen for one config
      rebuild(config, health);
      return std::nullopt;
    }
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      const std::size_t at = first_[v] + i;
      if (same_service(table_[at], fresh[i])) continue;
      table_[at] = std::move(fresh[i]);
      if (!shadowed_[at]) delta.push_back(table_[at]);
    }
  }
  return delta;
}

ipvs::Timeouts lvs_timeouts(const config::GlobalDefs& global) {
  ipvs::Timeouts t;
  if (!global.lvs_timeouts) return t;
  auto secs = [](const std::optional<config::Duration>& d) -> std::uint32_t {
    return d ? static_cast<std::uint32_t>(
                   std::chrono::duration_cast<std::chrono::seconds>(*d).count())
             : 0U;
  };
  t.tcp = secs(global.lvs_timeouts->tcp);
  t.tcp_fin = secs(global.lvs_timeouts->tcpfin);
  t.udp = secs(global.lvs_timeouts->udp);
  return t;
}

}  // namespace lvsctl::director
