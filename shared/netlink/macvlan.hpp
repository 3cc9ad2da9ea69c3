#pragma once
// macvlan links over rtnetlink (libnl-route-3): create one in private mode with a given MAC on
// top of a parent interface, look a link up by name, delete one. Adapter, no decisions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "shared/netlink/route_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::netlink {

using MacAddress = std::array<std::uint8_t, 6>;

struct MacvlanSpec {
  std::string name;
  int parent_ifindex = 0;
  MacAddress mac{};
  // No IPv6 link-local address of its own (addrgenmode none), as keepalived's VMACs: the
  // caller sets it (sysctl addr_gen_mode) before set_link_up.
  bool no_ipv6_link_local = true;
};

// Creates the macvlan (mode private), down. EEXIST when the name is taken.
Status add_macvlan(RouteSocket& sock, const MacvlanSpec& spec);
Status set_link_up(RouteSocket& sock, int ifindex, const std::string& name);

struct LinkFacts {
  int ifindex = 0;
  std::string kind;  // "macvlan", "veth", ...; empty for a link without one
  int parent_ifindex = 0;
  MacAddress mac{};
};
// The link called `name`; nullopt when there is none.
Result<std::optional<LinkFacts>> find_link(RouteSocket& sock, const std::string& name);

// Deletes the link by index; ENODEV when it is gone already.
Status delete_link(RouteSocket& sock, int ifindex, const std::string& name);

std::string to_string(const MacAddress& mac);

}  // namespace lvsctl::netlink
