#pragma once
// Routes and policy rules over rtnetlink (RTM_NEWROUTE/DELROUTE, RTM_NEWRULE/DELRULE) through
// libnl-route-3, in the caller's network namespace. Thin adapters: values in, the kernel's errno
// out (EEXIST when a route/rule is already there, ESRCH/ENOENT when deleting one that is not);
// callers decide what matters. No libnl type in this header.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/netlink/route_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::netlink {

struct RouteNexthop {
  std::optional<IpAddress> gateway;
  int ifindex = 0;      // 0: the kernel resolves it from the gateway
  unsigned weight = 1;  // 1..256 (multipath)
  bool onlink = false;
  friend bool operator==(const RouteNexthop&, const RouteNexthop&) = default;
};

struct Route {
  IpAddress destination;  // the family of the route
  std::uint8_t prefix_len = 0;
  std::uint8_t type = 1;  // RTN_UNICAST, RTN_BLACKHOLE (6), RTN_UNREACHABLE (7), ...
  std::uint32_t table = 254;
  std::uint8_t protocol = 4;  // RTPROT_STATIC
  std::uint8_t scope = 0;     // RT_SCOPE_UNIVERSE
  std::uint8_t tos = 0;
  std::optional<std::uint32_t> metric;
  std::optional<IpAddress> preferred_source;
  std::vector<RouteNexthop> nexthops;  // several: a multipath route
  friend bool operator==(const Route&, const Route&) = default;
};

// Adds the route (NLM_F_EXCL). Errors: EEXIST, ENETUNREACH (gateway not reachable), ENODEV,
// EINVAL, EPERM.
Status add_route(RouteSocket& sock, const Route& route);
// Deletes the route matching destination, table, tos, metric and type.
Status delete_route(RouteSocket& sock, const Route& route);

enum class RuleAction : std::uint8_t { Table = 1, Goto = 2, Blackhole = 6, Unreachable = 7,
                                       Prohibit = 8 };  // FR_ACT_*

struct Rule {
  AddressFamily family = AddressFamily::V4;
  std::optional<IpAddress> from;
  std::uint8_t from_len = 0;
  std::optional<IpAddress> to;
  std::uint8_t to_len = 0;
  RuleAction action = RuleAction::Table;
  std::uint32_t table = 254;
  std::uint32_t goto_target = 0;
  std::uint32_t priority = 0;
  std::optional<std::uint32_t> fwmark;
  std::optional<std::uint32_t> fwmask;
  std::string iif;
  std::string oif;
  std::uint8_t tos = 0;
  std::uint8_t protocol = 0;  // FRA_PROTOCOL; 0: unset
  friend bool operator==(const Rule&, const Rule&) = default;
};

Status add_rule(RouteSocket& sock, const Rule& rule);
Status delete_rule(RouteSocket& sock, const Rule& rule);

}  // namespace lvsctl::netlink
