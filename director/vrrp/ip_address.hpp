#pragma once
// IpAddress: an IPv4 or IPv6 address as a value (network byte order octets), with a `none` state
// for "not known" (a bare VRRP message whose envelope the caller did not give). Ordering compares
// family first, then the octets, which for one family is the numeric order VRRP uses to break
// equal-priority ties ("the higher primary address wins").
// (shared/netlink/ip_address.hpp has the same concept without `none`; the daemon converts.)
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lvsctl::director::vrrp {

enum class Family : uint8_t { none = 0, v4 = 4, v6 = 6 };

struct IpAddress {
  Family family = Family::none;
  std::array<uint8_t, 16> octets{};  // v4 uses the first 4

  // From exactly 4 (v4) or 16 (v6) octets in network order; any other size gives `none`.
  static IpAddress from_octets(std::span<const uint8_t> bytes);
  // "203.0.113.1" or "2001:db8::1"; nullopt when `text` is neither.
  static std::optional<IpAddress> parse(std::string_view text);

  std::size_t size() const { return family == Family::v4 ? 4 : family == Family::v6 ? 16 : 0; }
  std::span<const uint8_t> bytes() const { return {octets.data(), size()}; }
  bool is_v4() const { return family == Family::v4; }
  bool is_v6() const { return family == Family::v6; }
  std::string to_string() const;  // "" for `none`

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// The VRRP multicast groups (RFC 5798 section 5.1): 224.0.0.18 and ff02::12.
IpAddress vrrp_group_v4();
IpAddress vrrp_group_v6();

}  // namespace lvsctl::director::vrrp
