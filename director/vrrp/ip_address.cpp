#include "director/vrrp/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace lvsctl::director::vrrp {

IpAddress IpAddress::from_octets(std::span<const uint8_t> bytes) {
  IpAddress a;
  if (bytes.size() == 4) {
    a.family = Family::v4;
  } else if (bytes.size() == 16) {
    a.family = Family::v6;
  } else {
    return a;
  }
  std::copy(bytes.begin(), bytes.end(), a.octets.begin());
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string s(text);  // inet_pton needs a terminated string
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.octets.data()) == 1) {
    a.family = Family::v4;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.octets.data()) == 1) {
    a.family = Family::v6;
    return a;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  if (family == Family::none) return {};
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::v4 ? AF_INET : AF_INET6, octets.data(), buf, sizeof buf);
  return buf;
}

IpAddress vrrp_group_v4() {
  static constexpr uint8_t group[4] = {224, 0, 0, 18};
  return IpAddress::from_octets(group);
}

IpAddress vrrp_group_v6() {
  static constexpr uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};
  return IpAddress::from_octets(group);
}

}  // namespace lvsctl::director::vrrp
