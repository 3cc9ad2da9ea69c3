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
//   persistence_timeout T: the chain first looks the client up in `map persist` (VIP . proto .
//   port . client address -> slot, flags timeout; its entry refreshed), and records a new
//   client's slot with timeout T:
//     meta mark set ip daddr . meta l4proto . th dport . ip saddr map @persist
//         update @persist { ... timeout Ts : meta mark } return
//     meta mark set numgen inc mod S
//     add @persist { ip daddr . meta l4proto . th dport . ip saddr timeout Ts : meta mark }
// One map lookup per packet whatever the number of services; each service's chain binds no map
// (many rules binding one map, or one anonymous map per service, load quadratically).
//
// A service has S slots, fixed while its set of real servers does not grow: a real server going
// down or up, or a new weight, only moves slots between real servers (map element edits, never
// a rule). S = lcm(1..n) for n real servers (capped at 840), so any subset of live servers
// shares the slots evenly; wrr doubles S until it covers the sum of the weights. Slots keep their
// real server when it stays live and under its share, so a change moves the fewest flows
// (for sh, the fewest clients).
//
// DR services (lb_kind DR) live in `table netdev lvsctl` (build_dr_table; no conntrack there):
//   map dr_services   ipv4_addr . inet_proto . inet_service : verdict      -> jump dr_vs_...
//   map dr_backends   ipv4_addr . inet_proto . inet_service . mark : ether_addr  (counter)
//   chain ingress_<ifname> (filter, ingress on the VIP's interface):
//       meta pkttype host meta protocol ip ip daddr . meta l4proto . th dport vmap @dr_services
//       meta pkttype host meta protocol ip ether daddr set ip daddr . meta l4proto . th dport . meta mark map
//           @dr_backends ether saddr set <the interface's MAC> fwd to "<ifname>"
//   chain dr_vs_<vip>_<proto>_<port>: meta mark set jhash ip saddr . th sport mod S (rr, wrr:
//       per flow, never per packet) or jhash ip saddr mod S (sh)
// Only the held VIPs' services are in it (the MASTER's), and only real servers whose MAC the
// neighbour table knows take slots.
#include <array>
#include <compare>
#include <map>
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
inline constexpr std::string_view kPersistMap = "persist";
inline constexpr std::uint32_t kPersistMapSize = 262144;
inline constexpr std::string_view kDrServicesMap = "dr_services";
inline constexpr std::string_view kDrBackendsMap = "dr_backends";
inline constexpr std::uint32_t kMaxSlots = 840;
// mh: a Maglev lookup table of this many slots (prime; IPVS's mh default table size).
inline constexpr std::uint32_t kMaglevSlots = 251;

// numgen inc (NAT rr/wrr), jhash ip saddr (sh), jhash ip saddr . th sport (DR rr/wrr: per flow).
enum class Pick : std::uint8_t { Numgen, SourceHash, FlowHash };

using Mac = std::array<std::uint8_t, 6>;
std::string mac_text(const Mac& mac);  // "52:4a:9f:ca:f1:f8"

struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;
  Mac mac{};  // DR: the real server's MAC (the map's data); zero for NAT
  auto operator<=>(const Endpoint&) const = default;
};

// A DR ingress chain: on `ifname`, source MAC set to `mac`, forwarded out of `ifindex`.
struct Ingress {
  std::string ifname;
  int ifindex = 0;
  Mac mac{};
  auto operator<=>(const Ingress&) const = default;
  std::string chain_name() const { return "ingress_" + ifname; }
};

// What a DR table needs from the host: each interface's index and MAC, each real server's MAC
// (the neighbour table's, only when reachable: REACHABLE, STALE, DELAY, PROBE, PERMANENT).
struct DrFacts {
  struct Interface {
    int ifindex = 0;
    Mac mac{};
  };
  std::map<std::string, Interface> interfaces;
  std::map<IpAddress, Mac> neighbours;
};

struct ServiceKey {
  IpAddress vip;
  std::uint8_t protocol = 6;  // IPPROTO_TCP / IPPROTO_UDP
  std::uint16_t port = 0;
  auto operator<=>(const ServiceKey&) const = default;
  std::string chain_name() const;     // "vs_203_0_113_100_tcp_10010"
  std::string dr_chain_name() const;  // "dr_vs_203_0_113_100_tcp_10010"
  std::string to_string() const;   // "TCP 203.0.113.100:10010"
};

struct Service {
  ServiceKey key;
  Pick pick = Pick::Numgen;
  std::uint32_t slots = 1;
  std::uint32_t persist = 0;  // persistence_timeout in seconds; 0: none
  std::vector<Endpoint> known;  // every real server seen while the service existed (sorted)
  std::vector<Endpoint> slot_backend;  // slots entries; empty while no real server takes flows
  bool operator==(const Service&) const = default;
  // Same chain and rule (pick and slot count): only map elements differ.
  bool same_shape(const Service& o) const {
    return pick == o.pick && slots == o.slots && persist == o.persist;
  }
};

struct Table {
  std::vector<Service> services;  // sorted by key
  std::vector<Ingress> ingress;   // DR tables only: sorted by ifname
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

// The DR table (`table netdev lvsctl`) for the held DR services of `desired`: an ingress chain
// per interface of a held DR VIP (held.interface_of), real servers with a known MAC. `notes`
// gets one line per held DR VIP without an interface and per real server without a MAC;
// `unresolved` the real servers whose MAC to look up.
Table build_dr_table(const ipvs::Table& desired, const HeldVips& held, const Table& previous,
                     const DrFacts& facts, std::vector<std::string>& notes,
                     std::vector<std::pair<IpAddress, std::string>>& unresolved);

// Whether a desired service is one the nftables datapath carries, and by which table.
bool nat_service(const ipvs::Service& service);
bool dr_service(const ipvs::Service& service);

// mh: the Maglev lookup table (Eisenbud et al., NSDI 2016) of `slots` entries (prime) for
// `live` with `weights` (0: none): each real server fills its preference list (offset and
// skip from a hash of its address and port) in turns proportional to its weight. It depends
// only on the set of real servers, never on history, so two directors build the same table,
// and removing one real server moves few flows besides its own.
std::vector<Endpoint> maglev_table(std::uint32_t slots, const std::vector<Endpoint>& live,
                                   const std::vector<std::int32_t>& weights);

// Slots for n real servers (and, for wrr, their weights).
std::uint32_t slot_count(std::size_t servers, const std::vector<std::int32_t>& weights,
                         bool weighted);

// Slot owners: `weights[i]` > 0 shares of `slots` for `live[i]`, keeping `previous` owners where
// they stay within their share. Empty when nothing is live.
std::vector<Endpoint> assign_slots(std::uint32_t slots, const std::vector<Endpoint>& live,
                                   const std::vector<std::int32_t>& weights,
                                   const std::vector<Endpoint>& previous);

}  // namespace lvsctl::director::datapath::nftlb
