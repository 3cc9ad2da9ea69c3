#include "shared/netlink/macvlan.hpp"

#include <fmt/format.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace lvsctl::netlink {
namespace {

struct LinkDeleter {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct NlAddrDeleter {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using LinkPtr = std::unique_ptr<rtnl_link, LinkDeleter>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;

}  // namespace

std::string to_string(const MacAddress& mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3],
                     mac[4], mac[5]);
}

Status add_macvlan(RouteSocket& sock, const MacvlanSpec& spec) {
  const std::string what = "creating macvlan " + spec.name;
  if (spec.name.empty() || spec.name.size() >= IFNAMSIZ) {
    return Error{what + ": bad interface name", EINVAL};
  }
  LinkPtr link(rtnl_link_macvlan_alloc());
  if (!link) return Error{what + ": out of memory", ENOMEM};
  rtnl_link_set_name(link.get(), spec.name.c_str());
  rtnl_link_set_link(link.get(), spec.parent_ifindex);
  if (const int err = rtnl_link_macvlan_set_mode(link.get(), MACVLAN_MODE_PRIVATE); err < 0) {
    return netlink_error(what, err);
  }
  NlAddrPtr mac(nl_addr_build(AF_LLC, spec.mac.data(), spec.mac.size()));
  if (!mac) return Error{what + ": out of memory", ENOMEM};
  rtnl_link_set_addr(link.get(), mac.get());
  if (const int err = rtnl_link_add(sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0) {
    return netlink_error(what, err);
  }
  return {};
}

Status set_link_up(RouteSocket& sock, int ifindex, const std::string& name) {
  LinkPtr link(rtnl_link_alloc());
  LinkPtr change(rtnl_link_alloc());
  if (!link || !change) return Error{"setting " + name + " up: out of memory", ENOMEM};
  rtnl_link_set_ifindex(link.get(), ifindex);
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (const int err = rtnl_link_change(sock.get(), link.get(), change.get(), 0); err < 0) {
    return netlink_error("setting " + name + " up", err);
  }
  return {};
}

Result<std::optional<LinkFacts>> find_link(RouteSocket& sock, const std::string& name) {
  rtnl_link* raw = nullptr;
  const int err = rtnl_link_get_kernel(sock.get(), 0, name.c_str(), &raw);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return std::optional<LinkFacts>{};
  if (err < 0) return netlink_error("looking up link " + name, err);
  LinkPtr link(raw);
  LinkFacts facts;
  facts.ifindex = rtnl_link_get_ifindex(link.get());
  if (const char* kind = rtnl_link_get_type(link.get())) facts.kind = kind;
  facts.parent_ifindex = rtnl_link_get_link(link.get());
  if (nl_addr* a = rtnl_link_get_addr(link.get()); a && nl_addr_get_len(a) == facts.mac.size()) {
    std::memcpy(facts.mac.data(), nl_addr_get_binary_addr(a), facts.mac.size());
  }
  return std::optional<LinkFacts>{facts};
}

Status delete_link(RouteSocket& sock, int ifindex, const std::string& name) {
  LinkPtr link(rtnl_link_alloc());
  if (!link) return Error{"deleting link " + name + ": out of memory", ENOMEM};
  rtnl_link_set_ifindex(link.get(), ifindex);
  if (const int err = rtnl_link_delete(sock.get(), link.get()); err < 0) {
    return netlink_error("deleting link " + name, err);
  }
  return {};
}

}  // namespace lvsctl::netlink
