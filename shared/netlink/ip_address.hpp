#pragma once
// IpAddress: an IPv4 or IPv6 address as a value (no prefix, no scope id). Pure: parsing and
// formatting only, no sockets. Shared by everything that puts addresses on interfaces.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lvsctl::netlink {

enum class Family : std::uint8_t { V4, V6 };

class IpAddress {
 public:
  // Strict text form: dotted quad ("203.0.113.10") or RFC 4291 IPv6 ("2001:db8::10"). No
  // prefix, no zone ("%eth0"), no surrounding spaces. nullopt when `text` is anything else.
  static std::optional<IpAddress> parse(std::string_view text);
  // From network-order bytes: 4 bytes make IPv4, 16 make IPv6, any other size is nullopt.
  static std::optional<IpAddress> from_bytes(std::span<const std::uint8_t> bytes);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  int af() const;                                   // AF_INET or AF_INET6
  std::span<const std::uint8_t> bytes() const;      // 4 or 16 bytes, network order
  std::uint8_t host_prefix_len() const { return is_v4() ? 32 : 128; }
  std::string to_string() const;                    // canonical form (RFC 5952 for IPv6)

  bool is_unspecified() const;  // 0.0.0.0, ::
  bool is_loopback() const;     // 127.0.0.0/8, ::1
  bool is_multicast() const;    // 224.0.0.0/4, ff00::/8
  bool is_link_local() const;   // 169.254.0.0/16, fe80::/10
  bool is_broadcast() const;    // 255.255.255.255

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 uses the first 4, the rest stay zero
};

}  // namespace lvsctl::netlink
