#pragma once
// use_vmac: the macvlan an instance's VIPs live on (keepalived's VMAC): private mode on top of
// the instance's interface, MAC 00:00:5e:00:01:VRID (IPv6 instances 00:00:5e:00:02:VRID,
// RFC 5798 7.3), up while the instance runs, removed when it stops (RAII).
// As keepalived, an IPv4 VMAC answers ARP only for its own addresses (arp_ignore 1), accepts
// packets from local sources (accept_local 1, rp_filter 0), and the parent interface stops
// answering ARP for the VMAC's addresses (arp_ignore 1, arp_filter 1; put back as found when the
// VMAC goes). An IPv6 VMAC gets the adverts' source address (the parent's link-local, or the
// configured IPv6 source) as a /64 of its own, so adverts leave from it (keepalived's
// set_link_local_address); none with vmac_xmit_base.
#include <optional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/netlink/interface_address.hpp"
#include "shared/netlink/macvlan.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {

// Pure: the virtual router MAC of `vrid` (RFC 5798 7.3).
netlink::MacAddress vrrp_virtual_mac(int vrid, bool ipv6);
// Pure: the macvlan `instance` asks for (name, MAC); parent_ifindex is the caller's.
netlink::MacvlanSpec vmac_spec(const config::VrrpInstance& instance, int parent_ifindex);
// Pure: adverts go out of (and are heard on) the VMAC: use_vmac without vmac_xmit_base.
bool advertises_from_vmac(const config::VrrpInstance& instance);
// Pure: the address an IPv6 VMAC that advertises gets (advert_source/64, as keepalived's);
// nullopt for IPv4 instances and with vmac_xmit_base.
std::optional<netlink::InterfaceAddress> vmac_source_address(const config::VrrpInstance& instance,
                                                             const IpAddress& advert_source,
                                                             int vmac_ifindex);

class VmacLink {
 public:
  // Creates it (a macvlan of that name left by an earlier run is replaced; a link of that name
  // that is no macvlan is an error). advert_source: the instance's primary address (IPv6: what
  // vmac_source_address puts on the VMAC).
  static Result<VmacLink> create(netlink::RouteSocket& rtnl, const config::VrrpInstance& instance,
                                 int parent_ifindex, const IpAddress& advert_source);
  VmacLink(VmacLink&& other) noexcept;
  VmacLink& operator=(VmacLink&&) = delete;
  VmacLink(const VmacLink&) = delete;
  ~VmacLink();

  const std::string& name() const { return name_; }
  int ifindex() const { return ifindex_; }

 private:
  struct SavedSysctl {
    std::string ifname, name, value;
  };
  VmacLink(netlink::RouteSocket& rtnl, std::string name, int ifindex)
      : rtnl_(&rtnl), name_(std::move(name)), ifindex_(ifindex) {}
  netlink::RouteSocket* rtnl_ = nullptr;
  std::string name_;
  int ifindex_ = 0;
  std::vector<SavedSysctl> restore_;
};

}  // namespace lvsctl::director
