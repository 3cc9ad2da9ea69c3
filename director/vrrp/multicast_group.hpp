#pragma once
// The VRRP multicast groups adverts are sent to (RFC 5798 section 5.1.1.2 / 5.1.2.2).
#include "shared/ip_address.hpp"

namespace lvsctl::director::vrrp {

IpAddress vrrp_group_v4();  // 224.0.0.18
IpAddress vrrp_group_v6();  // ff02::12

}  // namespace lvsctl::director::vrrp
