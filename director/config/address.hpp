#pragma once
// IpAddress: an IPv4 or IPv6 address as a small value (no sockets, no resolver). Parsing is
// numeric only, as keepalived.conf requires.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvsctl::director::config {

enum class AddressFamily : std::uint8_t { V4, V6 };

class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0

  // "192.0.2.1" or "2001:db8::1" (no prefix, no port, no zone); nullopt when not an address.
  static std::optional<IpAddress> parse(std::string_view text);
  static IpAddress v4(std::uint32_t host_order);

  AddressFamily family() const { return family_; }
  bool is_v4() const { return family_ == AddressFamily::V4; }
  bool is_v6() const { return family_ == AddressFamily::V6; }
  // 4 or 16 bytes in network order; the rest of the array is zero.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  std::uint32_t v4_host_order() const;  // only meaningful for IPv4
  // Maximum prefix length: 32 or 128.
  int bits() const { return is_v4() ? 32 : 128; }
  bool is_multicast() const;
  bool is_unspecified() const;
  bool is_link_local_v6() const;

  std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  AddressFamily family_ = AddressFamily::V4;
  std::array<std::uint8_t, 16> bytes_{};
};

// Address + prefix length, as in "10.0.0.1/24".
struct IpPrefix {
  IpAddress address;
  int length = 32;

  // "ADDR" (full-length prefix) or "ADDR/LEN"; nullopt when malformed or LEN too large.
  static std::optional<IpPrefix> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const IpPrefix&) const = default;
};

}  // namespace lvsctl::director::config
