#pragma once
// Interface addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), IPv4 and IPv6,
// in the caller's network namespace. A thin adapter: it does what it is told and decides nothing
// (callers decide whether EEXIST or EADDRNOTAVAIL matter). Used by the real server role (VIPs on
// lo) and meant for the VRRP runtime (VIPs on any interface).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/netlink/route_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::netlink {

struct InterfaceAddress {
  int ifindex = 0;
  IpAddress address;
  std::uint8_t prefix_len = 0;
  // IPv4 only ("lo:0", "eth0:vip"): at most 15 bytes and, by convention, the interface name
  // followed by ':'. Empty = the kernel's default (the interface name). IPv6 has no labels: the
  // field is ignored when adding and empty when listed.
  std::string label;

  friend bool operator==(const InterfaceAddress&, const InterfaceAddress&) = default;
};

// The index of interface `name` in this namespace. Errors: ENODEV naming the interface.
Result<int> interface_index(std::string_view name);

// Every address on interface `ifindex` (0 = on all interfaces), both families, in kernel order.
Result<std::vector<InterfaceAddress>> list_addresses(RouteSocket& sock, int ifindex = 0);

struct AddOptions {
  // IPv6: no duplicate address detection (IFA_F_NODAD), so the address is usable at once instead
  // of "tentative" for a second or more; keepalived adds its VIPs so. Ignored for IPv4.
  bool no_dad = false;
  // RT_SCOPE_* of the address (`scope link` = 253, `host` = 254); 0 = global.
  std::uint8_t scope = 0;
};

// Adds the address (scope global). Errors carry the errno: EEXIST when it is already there,
// EPERM without CAP_NET_ADMIN, ENODEV for a bad ifindex, EINVAL for a bad label or prefix.
Status add_address(RouteSocket& sock, const InterfaceAddress& addr, AddOptions options = {});

// Deletes the address (matched by ifindex, address and prefix length; the label is not
// compared). Errors: EADDRNOTAVAIL when it is not there, EPERM without CAP_NET_ADMIN.
Status delete_address(RouteSocket& sock, const InterfaceAddress& addr);

}  // namespace lvsctl::netlink
