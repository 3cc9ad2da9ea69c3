#pragma once
// The IPVS table as values: virtual services, their destinations (real servers) and counters.
// Pure: no sockets, no netlink. The same types describe the desired table (from the config and,
// later, health results) and the actual one (read from the kernel); plan.hpp compares them.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/ip_address.hpp"

namespace lvsctl::director::ipvs {

// IP protocol numbers, as the kernel wants them.
enum class Protocol : std::uint16_t { Tcp = 6, Udp = 17, Sctp = 132 };

// Forwarding method of a destination (values of IP_VS_CONN_F_*).
enum class Forwarding : std::uint32_t { Nat = 0, Local = 1, Tunnel = 2, DirectRouting = 3, Bypass = 4 };

// Service flags the operator chooses (the kernel's IP_VS_SVC_F_*; HASHED is internal and never
// appears here).
namespace service_flag {
inline constexpr std::uint32_t persistent = 0x0001;
inline constexpr std::uint32_t one_packet = 0x0004;
inline constexpr std::uint32_t sched1 = 0x0008;  // sh: fallback; mh: fallback
inline constexpr std::uint32_t sched2 = 0x0010;  // sh: port; mh: port
inline constexpr std::uint32_t sched3 = 0x0020;
inline constexpr std::uint32_t all = persistent | one_packet | sched1 | sched2 | sched3;
}  // namespace service_flag

// What identifies a virtual service: protocol + address + port, or a firewall mark.
struct ServiceKey {
  AddressFamily family = AddressFamily::V4;
  std::uint32_t fwmark = 0;        // non-zero: a fwmark service; then the fields below are unused
  Protocol protocol = Protocol::Tcp;
  IpAddress address;
  std::uint16_t port = 0;          // host byte order

  static ServiceKey inet(Protocol protocol, const IpAddress& address, std::uint16_t port);
  static ServiceKey mark(std::uint32_t fwmark, AddressFamily family = AddressFamily::V4);
  bool is_fwmark() const { return fwmark != 0; }
  // "TCP 203.0.113.10:80", "UDP [2001:db8::1]:53", "FWM 7" (IPv6: "FWM 7 IPv6").
  std::string to_string() const;
  auto operator<=>(const ServiceKey&) const = default;
};

// Packet/byte counters as the kernel reports them (64-bit variants).
struct Counters {
  std::uint64_t connections = 0;
  std::uint64_t in_packets = 0;
  std::uint64_t out_packets = 0;
  std::uint64_t in_bytes = 0;
  std::uint64_t out_bytes = 0;
  std::uint64_t cps = 0;
  std::uint64_t in_pps = 0;
  std::uint64_t out_pps = 0;
  std::uint64_t in_bps = 0;
  std::uint64_t out_bps = 0;
  bool operator==(const Counters&) const = default;
};

// A destination (real server) of one virtual service.
struct Destination {
  IpAddress address;
  std::uint16_t port = 0;  // host byte order; 0 for fwmark services that keep the client's port
  Forwarding forwarding = Forwarding::DirectRouting;
  std::int32_t weight = 1;
  std::uint32_t upper_threshold = 0;  // 0 = no limit
  std::uint32_t lower_threshold = 0;

  // Read-only state, filled when listed from the kernel; never compared by the plan.
  std::uint32_t active_connections = 0;
  std::uint32_t inactive_connections = 0;
  std::uint32_t persistent_connections = 0;
  Counters counters;

  // The settings the operator controls are equal (address, port, forwarding, weight, thresholds).
  bool same_settings(const Destination& other) const;
  bool same_endpoint(const Destination& other) const {
    return address == other.address && port == other.port;
  }
  std::string endpoint_string() const;  // "198.51.100.1:80" or "[2001:db8::1]:80"
};

// A virtual service and its destinations.
struct Service {
  ServiceKey key;
  std::string scheduler = "wlc";
  std::uint32_t flags = 0;            // service_flag::*
  std::uint32_t timeout = 0;          // persistence timeout in seconds (with flag persistent)
  // Persistence granularity: an IPv4 mask in host byte order (0xffffffff = per client address)
  // or, for IPv6, a prefix length (128). nullopt = the full mask of the family.
  std::optional<std::uint32_t> netmask;
  std::string persistence_engine;     // e.g. "sip"; empty for none
  std::vector<Destination> destinations;

  Counters counters;  // read-only, filled when listed from the kernel

  std::uint32_t effective_netmask() const;
  // Scheduler, flags, timeout, netmask and persistence engine are equal (the part that
  // "edit service" changes); the key and destinations are not compared.
  bool same_settings(const Service& other) const;
  const Destination* find(const IpAddress& address, std::uint16_t port) const;
};

using Table = std::vector<Service>;

// Full mask for the family: 0xffffffff for IPv4, 128 for IPv6.
std::uint32_t full_netmask(AddressFamily family);
std::string_view to_string(Protocol protocol);      // "TCP", "UDP", "SCTP"
std::string_view to_string(Forwarding forwarding);  // "Masq", "Local", "Tunnel", "Route", "Bypass"

}  // namespace lvsctl::director::ipvs
