#include "director/daemon/vmac_link.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>

#include "shared/sysctl.hpp"

namespace lvsctl::director {

netlink::MacAddress vrrp_virtual_mac(int vrid, bool ipv6) {
  return {0x00, 0x00, 0x5e, 0x00, static_cast<std::uint8_t>(ipv6 ? 0x02 : 0x01),
          static_cast<std::uint8_t>(vrid)};
}

netlink::MacvlanSpec vmac_spec(const config::VrrpInstance& instance, int parent_ifindex) {
  const bool v6 = !instance.virtual_ipaddress.empty() &&
                  !instance.virtual_ipaddress.front().prefix.address.is_v4();
  netlink::MacvlanSpec spec;
  spec.name = instance.vmac_name;
  spec.parent_ifindex = parent_ifindex;
  spec.mac = vrrp_virtual_mac(instance.vrid, v6);
  spec.no_ipv6_link_local = true;  // addrgenmode none, as keepalived's (IPv6 ones too)
  return spec;
}

bool advertises_from_vmac(const config::VrrpInstance& instance) {
  return instance.use_vmac && !instance.vmac_xmit_base;
}

std::optional<netlink::InterfaceAddress> vmac_source_address(const config::VrrpInstance& instance,
                                                             const IpAddress& advert_source,
                                                             int vmac_ifindex) {
  if (!advertises_from_vmac(instance) || !advert_source.is_v6()) return std::nullopt;
  netlink::InterfaceAddress a;
  a.ifindex = vmac_ifindex;
  a.address = advert_source;
  a.prefix_len = 64;
  return a;
}

Result<VmacLink> VmacLink::create(netlink::RouteSocket& rtnl, const config::VrrpInstance& instance,
                                  int parent_ifindex, const IpAddress& advert_source) {
  const auto spec = vmac_spec(instance, parent_ifindex);
  auto existing = netlink::find_link(rtnl, spec.name);
  if (!existing) return existing.error();
  if (*existing) {
    if ((*existing)->kind != "macvlan") {
      return Error{"use_vmac: interface " + spec.name + " exists and is not a macvlan", EEXIST};
    }
    spdlog::info("VRRP_Instance({}) replacing the macvlan {} left behind", instance.name,
                 spec.name);
    if (auto st = netlink::delete_link(rtnl, (*existing)->ifindex, spec.name); !st) {
      return st.error();
    }
  }
  if (auto st = netlink::add_macvlan(rtnl, spec); !st) return st.error();
  auto facts = netlink::find_link(rtnl, spec.name);
  if (!facts) return facts.error();
  if (!*facts) return Error{"use_vmac: macvlan " + spec.name + " vanished after creation", ENODEV};
  VmacLink link(rtnl, spec.name, (*facts)->ifindex);
  spdlog::info("VRRP_Instance({}) created VMAC {} ({}) on {}", instance.name, spec.name,
               netlink::to_string(spec.mac), instance.interface);
  const auto set = [&](const std::string& ifname, const char* name, const char* value,
                       bool restore) {
    auto old = sysctl::read_conf("ipv4", ifname, name);
    auto st = sysctl::write_conf("ipv4", ifname, name, value);
    if (!st) {
      spdlog::warn("VRRP_Instance({}) {}", instance.name, st.error().message);
      return;
    }
    if (restore && old && *old != value) link.restore_.push_back({ifname, name, *old});
  };
  if (spec.no_ipv6_link_local) {  // before it is up: no link-local address appears
    if (auto st = sysctl::write_conf("ipv6", spec.name, "addr_gen_mode", "1"); !st) {
      spdlog::debug("VRRP_Instance({}) {}", instance.name, st.error().message);  // no IPv6
    }
  }
  if (auto st = netlink::set_link_up(rtnl, link.ifindex_, spec.name); !st) return st.error();
  if (advert_source.is_v4()) {  // keepalived sets these for IPv4 instances only
    set(spec.name, "arp_ignore", "1", false);
    set(spec.name, "accept_local", "1", false);
    set(spec.name, "rp_filter", "0", false);
    set(instance.interface, "arp_ignore", "1", true);
    set(instance.interface, "arp_filter", "1", true);
  }
  if (auto source = vmac_source_address(instance, advert_source, link.ifindex_)) {
    // no duplicate address detection: the parent holds the same link-local address
    auto st = netlink::add_address(rtnl, *source, {.no_dad = true});
    if (!st && st.error().code != EEXIST) {
      return Error{"use_vmac: cannot add " + advert_source.to_string() + "/64 to " + spec.name +
                       ": " + st.error().message,
                   st.error().code};
    }
  }
  return link;
}

VmacLink::VmacLink(VmacLink&& other) noexcept
    : rtnl_(other.rtnl_),
      name_(std::move(other.name_)),
      ifindex_(other.ifindex_),
      restore_(std::move(other.restore_)) {
  other.ifindex_ = 0;
  other.restore_.clear();
}

VmacLink::~VmacLink() {
  if (ifindex_ == 0) return;
  // Removing the link takes its addresses (the VIPs) with it.
  if (auto st = netlink::delete_link(*rtnl_, ifindex_, name_); !st && st.error().code != ENODEV) {
    spdlog::warn("cannot remove VMAC {}: {}", name_, st.error().message);
  }
  for (const auto& s : restore_) {
    if (auto st = sysctl::write_conf("ipv4", s.ifname, s.name, s.value); !st) {
      spdlog::warn("{}", st.error().message);
    }
  }
}

}  // namespace lvsctl::director
