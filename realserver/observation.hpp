#pragma once
// What the kernel looks like now, as far as the real server role cares: the DR sysctls and the
// addresses on lo. Filled by the kernel adapter, consumed by the pure plan and status code.
#include <map>
#include <string>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/netlink/interface_address.hpp"

namespace lvsctl::realserver {

struct Observation {
  std::map<std::string, std::string> sysctls;       // key -> current value (the DR sysctls)
  std::vector<netlink::InterfaceAddress> lo;        // every address on lo

  // The address on lo equal to `a` (any prefix length), or nullptr.
  const netlink::InterfaceAddress* on_lo(const IpAddress& a) const;
  // The current value of `key`, or "" when it was not read.
  std::string sysctl(const std::string& key) const;
};

}  // namespace lvsctl::realserver
