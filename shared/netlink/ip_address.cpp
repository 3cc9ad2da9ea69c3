#include "shared/netlink/ip_address.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

namespace lvsctl::netlink {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), a.bytes_.data()) != 1) return std::nullopt;
    a.family_ = Family::V4;
  } else {
    if (inet_pton(AF_INET6, s.c_str(), a.bytes_.data()) != 1) return std::nullopt;
    a.family_ = Family::V6;
  }
  return a;
}

std::optional<IpAddress> IpAddress::from_bytes(std::span<const std::uint8_t> bytes) {
  IpAddress a;
  if (bytes.size() == 4) {
    a.family_ = Family::V4;
  } else if (bytes.size() == 16) {
    a.family_ = Family::V6;
  } else {
    return std::nullopt;
  }
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

int IpAddress::af() const { return is_v4() ? AF_INET : AF_INET6; }

std::span<const std::uint8_t> IpAddress::bytes() const {
  return {bytes_.data(), is_v4() ? std::size_t{4} : std::size_t{16}};
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(af(), bytes_.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::is_unspecified() const {
  const auto b = bytes();
  return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

bool IpAddress::is_loopback() const {
  if (is_v4()) return bytes_[0] == 127;
  return std::all_of(bytes_.begin(), bytes_.begin() + 15, [](std::uint8_t x) { return x == 0; }) &&
         bytes_[15] == 1;
}

bool IpAddress::is_multicast() const {
  return is_v4() ? (bytes_[0] & 0xf0) == 0xe0 : bytes_[0] == 0xff;
}

bool IpAddress::is_link_local() const {
  return is_v4() ? bytes_[0] == 169 && bytes_[1] == 254
                 : bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

bool IpAddress::is_broadcast() const {
  return is_v4() && std::all_of(bytes_.begin(), bytes_.begin() + 4,
                                [](std::uint8_t x) { return x == 0xff; });
}

}  // namespace lvsctl::netlink
