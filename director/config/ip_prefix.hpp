#pragma once
// IpPrefix: an address and a prefix length, as keepalived.conf writes them ("10.0.0.1/24").
// Pure; numeric only, as keepalived.conf requires.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "shared/ip_address.hpp"

namespace lvsctl::director::config {

struct IpPrefix {
  IpAddress address;
  int length = 32;

  // "ADDR" (full-length prefix) or "ADDR/LEN"; nullopt when malformed or LEN too large.
  static std::optional<IpPrefix> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const IpPrefix&) const = default;
};

}  // namespace lvsctl::director::config
