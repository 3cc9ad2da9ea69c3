#pragma once
// Sends the gratuitous ARPs (IPv4 VIPs) and unsolicited Neighbour Advertisements (IPv6 VIPs) a
// new master owes its neighbours, built by gratuitous.hpp, out of one interface from its MAC.
// Adapter, no decisions: one AF_PACKET socket per network namespace, opened on first use and
// kept (closing one stalls for an RCU grace period).
#include <span>
#include <string>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::vrrp {

// `count` rounds; each round one frame per VIP. Errors name the interface or the VIP.
Status send_gratuitous(const std::string& ifname, std::span<const IpAddress> vips, unsigned count);

}  // namespace lvsctl::director::vrrp
