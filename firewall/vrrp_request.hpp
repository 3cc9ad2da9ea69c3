#pragma once
// What the operator asked for: accept VRRP (IP protocol / IPv6 next header 112) on input,
// optionally only from given peers and only on one interface. Pure value; parsing only.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::firewall {

inline constexpr std::uint8_t kVrrpProtocol = 112;
inline constexpr std::string_view kRuleTag = "lvsctl:vrrp";  // comment on every rule we add

// Parses one IPv4 or IPv6 address (no prefix). Error names the value.
Result<IpAddress> parse_peer(std::string_view text);

struct VrrpRequest {
  std::optional<std::string> interface;  // input interface name, none = any
  std::vector<IpAddress> peers;        // empty = any source
  bool ipv4 = true;
  bool ipv6 = false;

  // Peers of one IP version, in the order given.
  std::vector<IpAddress> peers_of(AddressFamily v) const;
  bool wants(AddressFamily v) const { return v == AddressFamily::V4 ? ipv4 : ipv6; }
};

// Checks the request is coherent: interface name length, peers of a version that is not
// enabled, an enabled version without peers while peers of the other version were given.
Status validate(const VrrpRequest& request);

}  // namespace lvsctl::firewall
