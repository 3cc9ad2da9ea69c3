#pragma once
// The nftables load-balancing table as values, and how it follows from the desired table. Pure.
//
// Shape (`table ip lvsctl`; render_nft() prints it as `nft -f` text):
//   map services  ipv4_addr . inet_proto . inet_service : verdict   VIP.proto.port -> jump vs_...
//   map backends  ipv4_addr . inet_proto . inet_service . mark : ipv4_addr . inet_service
//                 (VIP.proto.port.slot -> real server address.port)
//   chain prerouting (nat, dstnat): ip daddr . meta l4proto . th dport vmap @services
//                                    dnat ip to ip daddr . meta l4proto . th dport . meta mark map @backends
//   chain vs_<vip>_<proto>_<port>:   meta mark set numgen inc mod S   (rr, wrr)
//                                    meta mark set jhash ip saddr mod S seed 0x...   (sh)
// One map lookup per packet whatever the number of services; each service's chain binds no map
// (many rules binding one map, or one anonymous map per service, load quadratically).
//
// A service has S slots, fixed while its set of real servers does not grow: a real server going
// down or up, or a new weight, only moves slots between real servers (map element edits, never
// a rule). S = lcm(1..n) for n real servers (capped at 840), so any subset of live servers
// shares the slots evenly; wrr doubles S until it covers the sum of the weights. Slots keep their
// real server when it stays live and under its share, so a change moves the fewest flows
// (for sh, the fewest clients).
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "director/datapath/datapath.hpp"
#include "director/ipvs/model.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::director::datapath::nftlb {

inline constexpr std::string_view kTableName = "lvsctl";
inline constexpr std::string_view kServicesMap = "services";
inline constexpr std::string_view kBackendsMap = "backends";
inline constexpr std::string_view kPreroutingChain = "prerouting";
inline constexpr std::uint32_t kMaxSlots = 840;

enum class Pick : std::uint8_t { Numgen, SourceHash };

struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;
  auto operator<=>(const Endpoint&) const = default;
};

struct ServiceKey {
  IpAddress vip;
  std::uint8_t protocol = 6;  // IPPROTO_TCP / IPPROTO_UDP
  std::uint16_t port = 0;
  auto operator<=>(const ServiceKey&) const = default;
  std::string chain_name() const;  // "vs_203_0_113_100_tcp_10010"
  std::string to_string() const;   // "TCP 203.0.113.100:10010"
};

struct Service {
  ServiceKey key;
  Pick pick = Pick::Numgen;
  std::uint32_t slots = 1;
  std::vector<Endpoint> known;  // every real server seen while the service existed (sorted)
  std::vector<Endpoint> slot_backend;  // slots entries; empty while no real server takes flows
  bool operator==(const Service&) const = default;
  // Same chain and rule (pick and slot count): only map elements differ.
  bool same_shape(const Service& o) const { return pick == o.pick && slots == o.slots; }
};

struct Table {
  std::vector<Service> services;  // sorted by key
  bool operator==(const Table&) const = default;
  const Service* find(const ServiceKey& key) const;
};

// The schedulers the nftables datapath expresses, and how.
bool scheduler_supported(std::string_view scheduler);

// The table for `desired` restricted to the VIPs in `held`, continuing `previous` (the table as
// applied: slot counts and slot owners carry over). Services nftables cannot express (IPv6,
// fwmark, SCTP, other schedulers) are skipped: configuration checking refuses them first.
// Destinations with weight 0 take no new flows.
Table build_table(const ipvs::Table& desired, const HeldVips& held, const Table& previous);

// Slots for n real servers (and, for wrr, their weights).
std::uint32_t slot_count(std::size_t servers, const std::vector<std::int32_t>& weights,
                         bool weighted);

// Slot owners: `weights[i]` > 0 shares of `slots` for `live[i]`, keeping `previous` owners where
// they stay within their share. Empty when nothing is live.
std::vector<Endpoint> assign_slots(std::uint32_t slots, const std::vector<Endpoint>& live,
                                   const std::vector<std::int32_t>& weights,
                                   const std::vector<Endpoint>& previous);

}  // namespace lvsctl::director::datapath::nftlb
