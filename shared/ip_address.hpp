#pragma once
// IpAddress: an IPv4 or IPv6 address as a value (no prefix, no port, no scope id), the one address
// type of every role. Pure: parsing, formatting and classification only, no sockets, no resolver.
//
// Ordering compares the family first (IPv4 before IPv6), then the octets in network order, which
// within one family is numeric order (VRRP breaks equal-priority ties with it: "the higher primary
// address wins"). A default-constructed IpAddress is 0.0.0.0; "not known" is the caller's
// std::optional<IpAddress>.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lvsctl {

enum class AddressFamily : std::uint8_t { V4, V6 };

class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0

  // Strict numeric text: a dotted quad ("203.0.113.10") or RFC 4291 IPv6 ("2001:db8::10", also
  // "::ffff:192.0.2.1"), any hex case. No prefix, no port, no zone ("%eth0"), no surrounding
  // spaces, no embedded NUL. nullopt when `text` is anything else.
  static std::optional<IpAddress> parse(std::string_view text);
  // From network-order bytes: 4 make IPv4, 16 make IPv6, any other size is nullopt.
  static std::optional<IpAddress> from_bytes(std::span<const std::uint8_t> bytes);
  // IPv4 from a host-order integer: v4(0xc0000201) is 192.0.2.1.
  static IpAddress v4(std::uint32_t host_order);
  // The all-zero address of `family`: 0.0.0.0 or ::.
  static IpAddress unspecified(AddressFamily family);

  AddressFamily family() const { return family_; }
  bool is_v4() const { return family_ == AddressFamily::V4; }
  bool is_v6() const { return family_ == AddressFamily::V6; }
  int af() const;                               // AF_INET or AF_INET6
  std::span<const std::uint8_t> bytes() const;  // 4 or 16 bytes, network order
  std::uint32_t v4_host_order() const;          // IPv4 as a host-order integer; 0 for IPv6
  std::uint8_t host_prefix_len() const { return is_v4() ? 32 : 128; }
  // Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, no leading zeros, the longest
  // run of two or more zero groups as "::" (the first of equal runs), IPv4-mapped and
  // IPv4-compatible addresses with the dotted quad last).
  std::string to_string() const;

  bool is_unspecified() const;  // 0.0.0.0, ::
  bool is_loopback() const;     // 127.0.0.0/8, ::1
  bool is_multicast() const;    // 224.0.0.0/4, ff00::/8
  bool is_link_local() const;   // 169.254.0.0/16, fe80::/10
  bool is_broadcast() const;    // 255.255.255.255
  bool is_v4_mapped() const;    // ::ffff:0:0/96 (an IPv4 address written as IPv6)

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  AddressFamily family_ = AddressFamily::V4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 uses the first 4, the rest stay zero
};

}  // namespace lvsctl
