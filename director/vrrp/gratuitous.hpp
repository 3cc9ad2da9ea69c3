#pragma once
// The frames a new master sends so that neighbours move a VIP to its MAC at once, built exactly
// as keepalived 2.2.7 builds them (golden-tested against its packets). Pure; send them with an
// AF_PACKET SOCK_RAW socket bound to the interface.
//  - IPv4: gratuitous ARP request "who-has VIP tell VIP", from our MAC to ff:ff:ff:ff:ff:ff, with
//    target hardware address ff:ff:ff:ff:ff:ff (42 bytes).
//  - IPv6: unsolicited Neighbour Advertisement for the VIP from the VIP to ff02::1 (MAC
//    33:33:00:00:00:01), hop limit 255, Override flag, target link-layer address option
//    (86 bytes).
#include <array>
#include <cstdint>
#include <vector>

#include "shared/ip_address.hpp"

namespace lvsctl::director::vrrp {

using Mac = std::array<uint8_t, 6>;

// Empty when `vip` is not IPv4.
std::vector<uint8_t> gratuitous_arp_frame(const Mac& mac, const IpAddress& vip);

// Empty when `vip` is not IPv6. `router` sets the R flag (keepalived sets it when the interface
// forwards IPv6).
std::vector<uint8_t> unsolicited_na_frame(const Mac& mac, const IpAddress& vip,
                                          bool router = false);

}  // namespace lvsctl::director::vrrp
