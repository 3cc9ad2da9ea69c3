#include "director/datapath/nft_lb_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace lvsctl::director::datapath::nftlb {
namespace {

std::string_view protocol_name(std::uint8_t protocol) {
  return protocol == 17 ? "udp" : "tcp";
}

}  // namespace

std::string ServiceKey::chain_name() const {
  std::string addr = vip.to_string();
  std::replace(addr.begin(), addr.end(), '.', '_');
  return fmt::format("vs_{}_{}_{}", addr, protocol_name(protocol), port);
}

std::string ServiceKey::dr_chain_name() const { return "dr_" + chain_name(); }

std::string mac_text(const Mac& mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3],
                     mac[4], mac[5]);
}

std::string ServiceKey::to_string() const {
  return fmt::format("{} {}:{}", protocol == 17 ? "UDP" : "TCP", vip.to_string(), port);
}

const Service* Table::find(const ServiceKey& key) const {
  auto it = std::lower_bound(services.begin(), services.end(), key,
                             [](const Service& s, const ServiceKey& k) { return s.key < k; });
  return it != services.end() && it->key == key ? &*it : nullptr;
}

bool scheduler_supported(std::string_view scheduler) {
  return scheduler == "rr" || scheduler == "wrr" || scheduler == "sh" || scheduler == "mh";
}

namespace {
std::uint64_t fnv1a(const Endpoint& e) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint8_t b) {
    h ^= b;
    h *= 1099511628211ULL;
  };
  for (auto b : e.address.bytes()) mix(b);
  mix(static_cast<std::uint8_t>(e.port >> 8));
  mix(static_cast<std::uint8_t>(e.port & 0xff));
  return h;
}
}  // namespace

std::vector<Endpoint> maglev_table(std::uint32_t slots, const std::vector<Endpoint>& live,
                                   const std::vector<std::int32_t>& weights) {
  struct Candidate {
    Endpoint endpoint;
    std::uint64_t offset = 0;
    std::uint64_t skip = 1;
    std::uint64_t next = 0;  // index into its permutation
    std::int64_t turns = 0;  // entries per round
  };
  std::int64_t g = 0;
  for (auto w : weights) {
    if (w > 0) g = std::gcd(g, static_cast<std::int64_t>(w));
  }
  std::vector<Candidate> c;
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (weights[i] <= 0) continue;
    const auto h = fnv1a(live[i]);
    c.push_back({live[i], h % slots, (h >> 32) % (slots - 1) + 1, 0, weights[i] / g});
  }
  if (c.empty() || slots < 2) return {};
  // The same order on every director: by endpoint.
  std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    return a.endpoint < b.endpoint;
  });
  std::vector<Endpoint> out(slots);
  std::vector<bool> taken(slots, false);
  std::uint32_t filled = 0;
  while (filled < slots) {
    for (auto& k : c) {
      for (std::int64_t t = 0; t < k.turns && filled < slots; ++t) {
        std::uint64_t at = (k.offset + k.next * k.skip) % slots;
        while (taken[at]) {
          ++k.next;
          at = (k.offset + k.next * k.skip) % slots;
        }
        ++k.next;
        taken[at] = true;
        out[at] = k.endpoint;
        ++filled;
      }
    }
  }
  return out;
}

std::uint32_t slot_count(std::size_t servers, const std::vector<std::int32_t>& weights,
                         bool weighted) {
  std::uint32_t slots = 1;
  for (std::uint32_t i = 2; i <= servers && i <= 8; ++i) slots = std::lcm(slots, i);
  if (!weighted) return slots;
  std::int64_t g = 0;
  std::int64_t sum = 0;
  for (auto w : weights) {
    if (w <= 0) continue;
    g = std::gcd(g, static_cast<std::int64_t>(w));
    sum += w;
  }
  if (g == 0) return slots;
  const std::int64_t shares = sum / g;
  while (slots < shares && slots * 2 <= kMaxSlots) slots *= 2;
  return slots;
}

std::vector<Endpoint> assign_slots(std::uint32_t slots, const std::vector<Endpoint>& live,
                                   const std::vector<std::int32_t>& weights,
                                   const std::vector<Endpoint>& previous) {
  std::int64_t total = 0;
  for (auto w : weights) total += std::max<std::int32_t>(w, 0);
  if (total == 0 || slots == 0) return {};
  // Largest-remainder shares of the slots.
  const std::size_t n = live.size();
  std::vector<std::uint32_t> share(n, 0);
  std::vector<std::pair<std::int64_t, std::size_t>> remainders;
  std::uint32_t given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t w = std::max<std::int32_t>(weights[i], 0);
    const std::int64_t exact = w * slots;
    share[i] = static_cast<std::uint32_t>(exact / total);
    given += share[i];
    if (w > 0) remainders.emplace_back(-(exact % total), i);
  }
  std::stable_sort(remainders.begin(), remainders.end());
  for (std::size_t k = 0; given < slots && k < remainders.size(); ++k, ++given) {
    ++share[remainders[k].second];
  }
  auto index_of = [&](const Endpoint& e) -> std::size_t {
    auto it = std::find(live.begin(), live.end(), e);
    return it == live.end() ? n : static_cast<std::size_t>(it - live.begin());
  };
  std::vector<Endpoint> out(slots);
  std::vector<bool> taken(slots, false);
  std::vector<std::uint32_t> used(n, 0);
  // Keep the previous owner of a slot while it is live and within its share.
  if (previous.size() == slots) {
    for (std::uint32_t s = 0; s < slots; ++s) {
      const std::size_t i = index_of(previous[s]);
      if (i < n && used[i] < share[i]) {
        out[s] = previous[s];
        taken[s] = true;
        ++used[i];
      }
    }
  }
  // The free slots, in order, to whoever is furthest below its share (smooth weighted
  // round robin, so a fresh service alternates its real servers slot by slot).
  std::vector<std::int64_t> credit(n, 0);
  for (std::uint32_t s = 0; s < slots; ++s) {
    if (taken[s]) continue;
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (used[i] >= share[i]) continue;
      credit[i] += share[i];
      if (best == n || credit[i] > credit[best]) best = i;
    }
    if (best == n) break;  // cannot happen: the shares sum to `slots`
    credit[best] -= slots;
    out[s] = live[best];
    ++used[best];
  }
  return out;
}

bool nat_service(const ipvs::Service& svc) {
  const auto& k = svc.key;
  if (k.is_fwmark() || !k.address.is_v4() || k.protocol == ipvs::Protocol::Sctp) return false;
  if (!scheduler_supported(svc.scheduler)) return false;
  for (const auto& d : svc.destinations) {
    if (d.forwarding == ipvs::Forwarding::Nat) return true;
  }
  return !dr_service(svc);
}

bool dr_service(const ipvs::Service& svc) {
  const auto& k = svc.key;
  if (k.is_fwmark() || !k.address.is_v4() || k.protocol == ipvs::Protocol::Sctp) return false;
  if (!scheduler_supported(svc.scheduler)) return false;
  for (const auto& d : svc.destinations) {
    if (d.forwarding == ipvs::Forwarding::DirectRouting) return true;
  }
  return false;
}

namespace {

// One service from its live real servers and weights, continuing `previous`.
// `configured`: every real server of the service, live or not (NAT: the live ones; DR: also
// those whose MAC is unknown yet), so the slot count already covers them.
Service build_service(const ipvs::Service& svc, Pick pick, const std::vector<Endpoint>& live,
                      const std::vector<std::int32_t>& weights, const Table& previous,
                      const std::vector<Endpoint>& configured) {
  const auto& k = svc.key;
  Service out;
  out.key = {k.address, static_cast<std::uint8_t>(k.protocol), k.port};
  out.pick = pick;
  if (svc.flags & ipvs::service_flag::persistent) out.persist = std::max<std::uint32_t>(svc.timeout, 1);
  const bool weighted = svc.scheduler != "rr";
  const Service* before = previous.find(out.key);
  out.known = before ? before->known : std::vector<Endpoint>{};
  bool grew = before == nullptr || before->pick != out.pick;
  for (auto e : configured) {
    e.mac = {};  // a real server is known by address and port; its MAC is data
    if (!std::binary_search(out.known.begin(), out.known.end(), e)) {
      out.known.insert(std::upper_bound(out.known.begin(), out.known.end(), e), e);
      grew = true;
    }
  }
  if (svc.scheduler == "mh") {  // stateless: the table follows from the live set alone
    out.slots = kMaglevSlots;
    out.slot_backend = maglev_table(out.slots, live, weights);
    return out;
  }
  out.slots = grew ? slot_count(out.known.size(), weights, weighted) : before->slots;
  out.slot_backend = assign_slots(out.slots, live, weights,
                                  before && before->slots == out.slots ? before->slot_backend
                                                                       : std::vector<Endpoint>{});
  return out;
}

void sort_unique(Table& table) {
  std::sort(table.services.begin(), table.services.end(),
            [](const Service& a, const Service& b) { return a.key < b.key; });
  // Two virtual servers with one key (a group listing an address twice): keep the first.
  table.services.erase(std::unique(table.services.begin(), table.services.end(),
                                   [](const Service& a, const Service& b) { return a.key == b.key; }),
                       table.services.end());
}

std::int32_t weight_of(const ipvs::Service& svc, const ipvs::Destination& d) {
  if (d.weight <= 0) return 0;
  return svc.scheduler == "rr" ? 1 : d.weight;
}

}  // namespace

Table build_table(const ipvs::Table& desired, const HeldVips& held, const Table& previous) {
  Table table;
  for (const auto& svc : desired) {
    if (!nat_service(svc) || !held.holds(svc.key.address)) continue;
    std::vector<Endpoint> live;
    std::vector<std::int32_t> weights;
    for (const auto& d : svc.destinations) {
      if (!d.address.is_v4() || d.forwarding != ipvs::Forwarding::Nat) continue;
      live.push_back({d.address, d.port == 0 ? svc.key.port : d.port, {}});
      weights.push_back(weight_of(svc, d));
    }
    const Pick pick =
        svc.scheduler == "sh" || svc.scheduler == "mh" ? Pick::SourceHash : Pick::Numgen;
    table.services.push_back(build_service(svc, pick, live, weights, previous, live));
  }
  sort_unique(table);
  return table;
}

Table build_dr_table(const ipvs::Table& desired, const HeldVips& held, const Table& previous,
                     const DrFacts& facts, std::vector<std::string>& notes,
                     std::vector<std::pair<IpAddress, std::string>>& unresolved) {
  Table table;
  for (const auto& svc : desired) {
    if (!dr_service(svc) || !held.holds(svc.key.address)) continue;
    const auto where = held.interface_of.find(svc.key.address);
    const auto* itf = where == held.interface_of.end() ? nullptr : &where->second;
    const auto facts_of = itf ? facts.interfaces.find(*itf) : facts.interfaces.end();
    if (itf == nullptr || facts_of == facts.interfaces.end()) {
      notes.push_back(fmt::format(
          "DR {}: {}; not forwarded", svc.key.to_string(),
          itf ? fmt::format("interface {} not found", *itf)
              : std::string("no VRRP instance carries this VIP (DR needs its interface)")));
      continue;
    }
    Ingress ingress{*itf, facts_of->second.ifindex, facts_of->second.mac};
    auto at = std::lower_bound(table.ingress.begin(), table.ingress.end(), ingress);
    if (at == table.ingress.end() || *at != ingress) table.ingress.insert(at, ingress);
    std::vector<Endpoint> live;
    std::vector<std::int32_t> weights;
    std::vector<Endpoint> configured;
    for (const auto& d : svc.destinations) {
      if (!d.address.is_v4() || d.forwarding != ipvs::Forwarding::DirectRouting) continue;
      configured.push_back({d.address, svc.key.port, {}});
      const auto mac = facts.neighbours.find(d.address);
      if (mac == facts.neighbours.end()) {
        if (d.weight > 0) {
          notes.push_back(fmt::format("DR {}: real server {} has no MAC in the neighbour table "
                                      "of {} yet (resolving); it takes no flows until then",
                                      svc.key.to_string(), d.address.to_string(), *itf));
          unresolved.emplace_back(d.address, *itf);
        }
        continue;
      }
      live.push_back({d.address, svc.key.port, mac->second});
      weights.push_back(weight_of(svc, d));
    }
    const Pick pick =
        svc.scheduler == "sh" || svc.scheduler == "mh" ? Pick::SourceHash : Pick::FlowHash;
    table.services.push_back(build_service(svc, pick, live, weights, previous, configured));
  }
  sort_unique(table);
  return table;
}

}  // namespace lvsctl::director::datapath::nftlb
