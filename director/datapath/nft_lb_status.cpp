#include "director/datapath/nft_lb_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

namespace lvsctl::director::datapath::nftlb {
namespace {

using DesiredByKey = std::map<ServiceKey, const ipvs::Service*>;

DesiredByKey desired_by_key(const ipvs::Table& desired) {
  DesiredByKey out;
  for (const auto& s : desired) {
    if (s.key.is_fwmark()) continue;
    out.emplace(ServiceKey{s.key.address, static_cast<std::uint8_t>(s.key.protocol), s.key.port},
                &s);
  }
  return out;
}

const ipvs::Service* desired_of(const DesiredByKey& desired, const ServiceKey& k) {
  const auto it = desired.find(k);
  return it == desired.end() ? nullptr : it->second;
}

using CountsByService = std::map<ServiceKey, std::vector<const SlotCounter*>>;

// Each service's counters, found once (a status of 100 services of 840 slots each reads 84,000).
CountsByService by_service(const std::vector<SlotCounter>& counts) {
  CountsByService out;
  for (const auto& c : counts) out[c.key].push_back(&c);
  return out;
}

void add_service(ipvs::Table& out, const ipvs::Service* want, const Service& applied,
                 const CountsByService& counts, bool dr) {
  if (!want) return;
  ipvs::Service s = *want;
  s.counters = {};
  for (auto& d : s.destinations) d.counters = {};
  const auto mine = counts.find(applied.key);
  if (mine == counts.end()) {
    out.push_back(std::move(s));
    return;
  }
  for (const SlotCounter* counter : mine->second) {
    const SlotCounter& c = *counter;
    // DR elements carry a MAC: the slot's owner in the applied table names the real server.
    Endpoint who = c.backend;
    if (dr) {
      if (c.slot >= applied.slot_backend.size() || applied.slot_backend[c.slot].mac != c.backend.mac) {
        continue;
      }
      who = applied.slot_backend[c.slot];
    }
    for (auto& d : s.destinations) {
      const std::uint16_t port = d.port == 0 ? s.key.port : d.port;
      if (d.address != who.address || (!dr && port != who.port)) continue;
      if (dr) {
        d.counters.in_packets += c.packets;
        d.counters.in_bytes += c.bytes;
      } else {
        d.counters.connections += c.packets;
      }
      break;
    }
    if (dr) {
      s.counters.in_packets += c.packets;
      s.counters.in_bytes += c.bytes;
    } else {
      s.counters.connections += c.packets;
    }
  }
  out.push_back(std::move(s));
}

}  // namespace

ipvs::Table listing(const ipvs::Table& desired, const Table& nat, const Table& dr,
                    const std::vector<SlotCounter>& nat_counts,
                    const std::vector<SlotCounter>& dr_counts) {
  ipvs::Table out;
  const DesiredByKey want = desired_by_key(desired);
  const CountsByService nat_by = by_service(nat_counts);
  const CountsByService dr_by = by_service(dr_counts);
  for (const auto& s : nat.services) add_service(out, desired_of(want, s.key), s, nat_by, false);
  for (const auto& s : dr.services) add_service(out, desired_of(want, s.key), s, dr_by, true);
  std::sort(out.begin(), out.end(),
            [](const ipvs::Service& a, const ipvs::Service& b) { return a.key < b.key; });
  return out;
}

std::vector<std::string> not_held_notes(const ipvs::Table& desired, const HeldVips& held) {
  std::map<IpAddress, std::size_t> services;
  for (const auto& s : desired) {
    if (!nat_service(s) && !dr_service(s)) continue;
    if (!held.holds(s.key.address)) ++services[s.key.address];
  }
  std::vector<std::string> out;
  for (const auto& [vip, n] : services) {
    out.push_back(fmt::format("VIP {} is not held here (its VRRP instance is not MASTER): its {} "
                              "service{} have no rules",
                              vip.to_string(), n, n == 1 ? "" : "s"));
  }
  return out;
}

}  // namespace lvsctl::director::datapath::nftlb
