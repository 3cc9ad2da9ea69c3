#pragma once
// The lab's fixed shape: the seed's cluster (two directors, two real servers, one client) in
// network namespaces whose names start with kPrefix. Pure values, no I/O.
//
//   client lvslab-cl 203.0.113.10 --- br0 (in lvslab-hub) --- d1 eth0 203.0.113.104
//                                                          \-- d2 eth0 203.0.113.105
//   VIP 203.0.113.100 (VRRP VRID 100, the seed's instance) on the MASTER's eth0
//   d1 eth1 198.51.100.2, d2 eth1 198.51.100.3 --- br1 --- r1 198.51.100.11, r2 198.51.100.12
//   gateway VIP 198.51.100.1 (VRID 101, same sync group) on the MASTER's eth1: the real
//   servers' default route, so NAT replies go back through the director that translated them.
#include <array>
#include <string>
#include <string_view>

namespace lvsctl::lab {

inline constexpr std::string_view kPrefix = "lvslab-";
inline constexpr std::string_view kDefaultStateDir = "/run/lvsctl-lab";

inline constexpr std::string_view kVip = "203.0.113.100";
inline constexpr std::string_view kGatewayVip = "198.51.100.1";
inline constexpr std::string_view kClientAddress = "203.0.113.10";
inline constexpr std::array<unsigned short, 3> kPorts = {10010, 10020, 10030};

struct Director {
  std::string_view name;        // "d1": namespace lvslab-d1, run dir STATE/d1
  std::string_view front;       // eth0 address (client side)
  std::string_view back;        // eth1 address (real-server side)
  unsigned priority;
  std::string_view state;       // the seed's `state` keyword
  std::string_view router_id;   // the seed's router_id
};
inline constexpr std::array<Director, 2> kDirectors = {{
    {"d1", "203.0.113.104", "198.51.100.2", 100, "MASTER", "LVS_200_104"},
    {"d2", "203.0.113.105", "198.51.100.3", 50, "BACKUP", "LVS_200_105"},
}};

struct RealServer {
  std::string_view name;     // "r1": namespace lvslab-r1; its services answer "r1"
  std::string_view address;  // on eth1, behind the directors
};
inline constexpr std::array<RealServer, 2> kRealServers = {{
    {"r1", "198.51.100.11"},
    {"r2", "198.51.100.12"},
}};

inline constexpr std::string_view kHub = "hub";     // holds the two bridges
inline constexpr std::string_view kClient = "cl";
// The director whose firewall drops VRRP until `firewall allow-vrrp` lets it in.
inline constexpr std::string_view kFirewalled = "d2";

// "lvslab-" + short name.
std::string ns_name(std::string_view short_name);
// True for a namespace name the lab made (the prefix and only [a-z0-9-] after it).
bool is_lab_namespace(std::string_view name);

// The director's keepalived.conf: the seed's config (tests/data/configs/seed-*.conf) translated
// to the lab: addresses, NAT, checks short enough for a demo (see the comments in the text).
std::string director_config(const Director& d);
// `nft -f` text of the backup's firewall: input policy drop, VRRP not accepted.
std::string firewall_ruleset();
// The name of the service process of real server `rs` on `port`: "r1-10010".
std::string service_name(std::string_view rs, unsigned short port);

}  // namespace lvsctl::lab
