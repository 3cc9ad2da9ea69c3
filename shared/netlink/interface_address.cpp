#include "shared/netlink/interface_address.hpp"

#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>

#include <cerrno>
#include <memory>

namespace lvsctl::netlink {

namespace {

struct AddrDeleter {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct NlAddrDeleter {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
struct CacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
using AddrPtr = std::unique_ptr<rtnl_addr, AddrDeleter>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;
using CachePtr = std::unique_ptr<nl_cache, CacheDeleter>;

std::string describe(const InterfaceAddress& a) {
  return a.address.to_string() + "/" + std::to_string(a.prefix_len) + " on interface #" +
         std::to_string(a.ifindex);
}

// Builds the libnl object for `a`; `with_label` only matters for IPv4.
Result<AddrPtr> to_rtnl(const InterfaceAddress& a, bool with_label) {
  AddrPtr obj(rtnl_addr_alloc());
  if (!obj) return Error{"allocating an rtnl address: out of memory", ENOMEM};
  const auto bytes = a.address.bytes();
  NlAddrPtr local(nl_addr_build(a.address.af(), bytes.data(), bytes.size()));
  if (!local) return Error{"allocating a netlink address: out of memory", ENOMEM};
  rtnl_addr_set_ifindex(obj.get(), a.ifindex);
  rtnl_addr_set_family(obj.get(), a.address.af());
  if (const int err = rtnl_addr_set_local(obj.get(), local.get()); err < 0) {
    return netlink_error("setting address " + a.address.to_string(), err);
  }
  rtnl_addr_set_prefixlen(obj.get(), a.prefix_len);
  if (with_label && a.address.is_v4() && !a.label.empty()) {
    if (a.label.size() >= IFNAMSIZ) {
      return Error{"label '" + a.label + "' is longer than 15 characters", EINVAL};
    }
    if (const int err = rtnl_addr_set_label(obj.get(), a.label.c_str()); err < 0) {
      return netlink_error("setting label '" + a.label + "'", err);
    }
  }
  return obj;
}

}  // namespace

Result<int> interface_index(std::string_view name) {
  const std::string n(name);
  const unsigned idx = if_nametoindex(n.c_str());
  if (idx == 0) return Error::from_errno("looking up interface '" + n + "'");
  return static_cast<int>(idx);
}

Result<std::vector<InterfaceAddress>> list_addresses(RouteSocket& sock, int ifindex) {
  nl_cache* raw = nullptr;
  if (const int err = rtnl_addr_alloc_cache(sock.get(), &raw); err < 0) {
    return netlink_error("listing interface addresses", err);
  }
  CachePtr cache(raw);
  std::vector<InterfaceAddress> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (ifindex != 0 && rtnl_addr_get_ifindex(a) != ifindex) continue;
    nl_addr* local = rtnl_addr_get_local(a);
    if (local == nullptr) continue;
    const auto* data = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local));
    auto ip = IpAddress::from_bytes({data, nl_addr_get_len(local)});
    if (!ip) continue;  // not IPv4/IPv6 (cannot happen for RTM_GETADDR of AF_INET/AF_INET6)
    InterfaceAddress entry;
    entry.ifindex = rtnl_addr_get_ifindex(a);
    entry.address = *ip;
    entry.prefix_len = static_cast<std::uint8_t>(rtnl_addr_get_prefixlen(a));
    if (ip->is_v4()) {
      if (const char* label = rtnl_addr_get_label(a); label != nullptr) entry.label = label;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Status add_address(RouteSocket& sock, const InterfaceAddress& addr, AddOptions options) {
  auto obj = to_rtnl(addr, /*with_label=*/true);
  if (!obj) return obj.error();
  if (options.no_dad && !addr.address.is_v4()) rtnl_addr_set_flags(obj->get(), IFA_F_NODAD);
  if (options.scope != 0) rtnl_addr_set_scope(obj->get(), options.scope);
  if (const int err = rtnl_addr_add(sock.get(), obj->get(), NLM_F_EXCL); err < 0) {
    return netlink_error("adding " + describe(addr), err);
  }
  return {};
}

Status delete_address(RouteSocket& sock, const InterfaceAddress& addr) {
  auto obj = to_rtnl(addr, /*with_label=*/false);
  if (!obj) return obj.error();
  if (const int err = rtnl_addr_delete(sock.get(), obj->get(), 0); err < 0) {
    return netlink_error("deleting " + describe(addr), err);
  }
  return {};
}

}  // namespace lvsctl::netlink
