#pragma once
// Routes and policy rules of keepalived.conf (static_routes, static_rules, and a vrrp_instance's
// virtual_routes / virtual_rules): what `ip route add` / `ip rule add` would be given, as values.
// Pure. Parsed by route_parse; installed by the daemon over rtnetlink (shared/netlink/ip_route,
// ip_rule). Numbers are the kernel's (RT_SCOPE_*, RTN_*, RTPROT_*, table ids).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "director/config/ip_prefix.hpp"
#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

// The route types keepalived accepts before the destination (`blackhole 192.0.2.1/32`).
enum class RouteType : std::uint8_t { Unicast, Blackhole, Unreachable, Prohibit, Throw };

// One gateway of a route: `via ADDR [dev IF] [weight N] [onlink]` (or the route's own via/dev).
struct RouteNexthop {
  std::optional<IpAddress> via;
  std::string dev;          // empty: the kernel finds it from `via`
  unsigned weight = 1;      // multipath weight, 1..256
  bool onlink = false;
};

struct IpRoute {
  IpPrefix destination;  // `default` = 0.0.0.0/0
  RouteType type = RouteType::Unicast;
  std::optional<IpAddress> src;  // preferred source (`src`)
  // One entry for `via`/`dev` alone; several for multipath (`nexthop ...`, the old `or ADDR`).
  std::vector<RouteNexthop> nexthops;
  bool multipath = false;  // written with `nexthop` or `or`
  std::uint32_t table = 254;  // main
  std::optional<std::uint32_t> metric;  // metric | priority | preference
  std::optional<std::uint8_t> scope;    // unset: global, as keepalived installs them
  std::uint8_t protocol = 4;            // RTPROT_STATIC unless `protocol`
  std::uint8_t tos = 0;
  bool no_install = false;  // kept in the model, never put in the kernel
  conf::Location where;

  // The scope the kernel is given: `scope`, else global (keepalived's choice).
  std::uint8_t effective_scope() const;
  // "192.0.2.0/24 via 198.51.100.1 dev eth0 table 100" (for log lines).
  std::string to_string() const;
};

// What a rule does when it matches.
enum class RuleAction : std::uint8_t { Table, Goto, Blackhole, Unreachable, Prohibit };

struct IpRule {
  AddressFamily family = AddressFamily::V4;
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  RuleAction action = RuleAction::Table;
  std::uint32_t table = 254;  // `table`/`lookup`; main when absent
  std::uint32_t goto_target = 0;
  std::uint32_t priority = 0;  // preference; keepalived assigns one when absent
  bool priority_given = false;
  std::optional<std::uint32_t> fwmark;
  std::optional<std::uint32_t> fwmask;
  std::string iif;
  std::string oif;
  std::uint8_t tos = 0;
  bool no_install = false;
  conf::Location where;

  // "from 192.0.2.0/24 lookup 2 pref 100" (for log lines).
  std::string to_string() const;
};

}  // namespace lvsctl::director::config
