#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director::vrrp {

IpAddress vrrp_group_v4() { return IpAddress::v4(0xe0000012); }

IpAddress vrrp_group_v6() {
  static constexpr std::uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                             0,    0,    0, 0, 0, 0, 0, 0x12};
  return *IpAddress::from_bytes(group);
}

}  // namespace lvsctl::director::vrrp
