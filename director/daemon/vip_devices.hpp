#pragma once
// Which interface each VIP of a vrrp_instance lives on, and so out of which interface its
// gratuitous ARP / unsolicited NA goes (as keepalived: a VIP's own `dev`, else the instance's
// VIP interface: its vmac with use_vmac, else its `interface`). Pure.
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::director {

// The interface `vip` is put on: its `dev`, else `default_device`.
const std::string& vip_device(const config::VirtualAddress& vip, const std::string& default_device);

// The VIPs grouped by their interface, in first-seen order of interfaces and configuration order
// within one (one gratuitous send per interface).
struct GratuitousBatch {
  std::string ifname;
  std::vector<IpAddress> vips;
};
std::vector<GratuitousBatch> gratuitous_batches(const std::vector<config::VirtualAddress>& vips,
                                                const std::string& default_device);

}  // namespace lvsctl::director
