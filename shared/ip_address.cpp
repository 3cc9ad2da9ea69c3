#include "shared/ip_address.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace lvsctl {

namespace {
bool all_zero(std::span<const std::uint8_t> b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}
}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton needs a terminated string; no valid address is INET6_ADDRSTRLEN long.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  IpAddress a;
  a.family_ = text.find(':') == std::string_view::npos ? AddressFamily::V4 : AddressFamily::V6;
  if (inet_pton(a.af(), buf, a.bytes_.data()) != 1) return std::nullopt;
  return a;
}

std::optional<IpAddress> IpAddress::from_bytes(std::span<const std::uint8_t> bytes) {
  IpAddress a;
  if (bytes.size() == 4) {
    a.family_ = AddressFamily::V4;
  } else if (bytes.size() == 16) {
    a.family_ = AddressFamily::V6;
  } else {
    return std::nullopt;
  }
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v4(std::uint32_t host_order) {
  IpAddress a;
  a.bytes_[0] = static_cast<std::uint8_t>(host_order >> 24);
  a.bytes_[1] = static_cast<std::uint8_t>(host_order >> 16);
  a.bytes_[2] = static_cast<std::uint8_t>(host_order >> 8);
  a.bytes_[3] = static_cast<std::uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::unspecified(AddressFamily family) {
  IpAddress a;
  a.family_ = family;
  return a;
}

int IpAddress::af() const { return is_v4() ? AF_INET : AF_INET6; }

std::span<const std::uint8_t> IpAddress::bytes() const {
  return {bytes_.data(), is_v4() ? std::size_t{4} : std::size_t{16}};
}

std::uint32_t IpAddress::v4_host_order() const {
  if (!is_v4()) return 0;
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
         (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

std::string IpAddress::to_string() const {
  // glibc's inet_ntop already writes the RFC 5952 form (ip_address_test pins the cases).
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(af(), bytes_.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::is_unspecified() const { return all_zero(bytes()); }

bool IpAddress::is_loopback() const {
  if (is_v4()) return bytes_[0] == 127;
  return all_zero(std::span(bytes_).first(15)) && bytes_[15] == 1;
}

bool IpAddress::is_multicast() const {
  return is_v4() ? (bytes_[0] & 0xf0) == 0xe0 : bytes_[0] == 0xff;
}

bool IpAddress::is_link_local() const {
  return is_v4() ? bytes_[0] == 169 && bytes_[1] == 254
                 : bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

bool IpAddress::is_v4_mapped() const {
  return is_v6() && std::all_of(bytes_.begin(), bytes_.begin() + 10, [](auto b) { return b == 0; }) &&
         bytes_[10] == 0xff && bytes_[11] == 0xff;
}

bool IpAddress::is_broadcast() const {
  return is_v4() &&
         std::all_of(bytes_.begin(), bytes_.begin() + 4, [](std::uint8_t x) { return x == 0xff; });
}

}  // namespace lvsctl
