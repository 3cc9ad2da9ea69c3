#include "director/vrrp/instance_config.hpp"

#include <algorithm>

#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director::vrrp {
uint16_t interval_cs(const InstanceConfig& c) {
  const auto ms = c.advert_interval.count();
  if (c.version == 2) return static_cast<uint16_t>(std::clamp<long long>(ms / 1000, 1, 255) * 100);
  return static_cast<uint16_t>(std::clamp<long long>(ms / 10, 1, kMaxIntervalCs));
}

Expectation expectation_of(const InstanceConfig& c) {
  Expectation x;
  x.version = c.version;
  x.vrid = c.vrid;
  x.auth_type = c.version == 2 ? c.auth_type : AuthType::none;
  if (x.auth_type == AuthType::pass) x.auth_data = pass_auth_data(c.auth_pass);
  x.interval_cs = interval_cs(c);
  x.addresses = c.vips;
  return x;
}

Advert advert_of(const InstanceConfig& c, uint8_t priority) {
  Advert a;
  a.version = c.version;
  a.vrid = c.vrid;
  a.priority = priority;
  a.interval_cs = interval_cs(c);
  if (c.version == 2) {
    a.auth_type = c.auth_type;
    if (c.auth_type == AuthType::pass) a.auth_data = pass_auth_data(c.auth_pass);
  }
  a.addresses = c.vips;
  a.source = c.primary_address;
  a.destination = c.primary_address.is_v6() ? vrrp_group_v6() : vrrp_group_v4();
  return a;
}

}  // namespace lvsctl::director::vrrp
