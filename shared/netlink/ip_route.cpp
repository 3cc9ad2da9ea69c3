#include "shared/netlink/ip_route.hpp"

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include <cerrno>
#include <memory>

namespace lvsctl::netlink {
namespace {

struct RouteDeleter {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct RuleDeleter {
  void operator()(rtnl_rule* r) const { rtnl_rule_put(r); }
};
struct NlAddrDeleter {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using RoutePtr = std::unique_ptr<rtnl_route, RouteDeleter>;
using RulePtr = std::unique_ptr<rtnl_rule, RuleDeleter>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;

NlAddrPtr address(const IpAddress& a, std::uint8_t prefix_len) {
  const auto bytes = a.bytes();
  NlAddrPtr out(nl_addr_build(a.af(), bytes.data(), bytes.size()));
  if (out) nl_addr_set_prefixlen(out.get(), prefix_len);
  return out;
}

std::string describe(const Route& r) {
  std::string out = r.destination.to_string() + "/" + std::to_string(r.prefix_len);
  for (const auto& nh : r.nexthops) {
    if (nh.gateway) out += " via " + nh.gateway->to_string();
  }
  if (r.table != RT_TABLE_MAIN) out += " table " + std::to_string(r.table);
  return "route " + out;
}

Result<RoutePtr> to_rtnl(const Route& r) {
  RoutePtr obj(rtnl_route_alloc());
  if (!obj) return Error{"allocating an rtnl route: out of memory", ENOMEM};
  auto dst = address(r.destination, r.prefix_len);
  if (!dst) return Error{"allocating a netlink address: out of memory", ENOMEM};
  rtnl_route_set_family(obj.get(), static_cast<std::uint8_t>(r.destination.af()));
  if (const int err = rtnl_route_set_dst(obj.get(), dst.get()); err < 0) {
    return netlink_error("setting " + describe(r), err);
  }
  rtnl_route_set_type(obj.get(), r.type);
  rtnl_route_set_table(obj.get(), r.table);
  rtnl_route_set_protocol(obj.get(), r.protocol);
  rtnl_route_set_scope(obj.get(), r.scope);
  rtnl_route_set_tos(obj.get(), r.tos);
  if (r.metric) rtnl_route_set_priority(obj.get(), *r.metric);
  if (r.preferred_source) {
    auto src = address(*r.preferred_source, r.preferred_source->host_prefix_len());
    if (!src) return Error{"allocating a netlink address: out of memory", ENOMEM};
    if (const int err = rtnl_route_set_pref_src(obj.get(), src.get()); err < 0) {
      return netlink_error("setting the source of " + describe(r), err);
    }
  }
  for (const auto& hop : r.nexthops) {
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    if (nh == nullptr) return Error{"allocating a nexthop: out of memory", ENOMEM};
    if (hop.ifindex != 0) rtnl_route_nh_set_ifindex(nh, hop.ifindex);
    if (hop.gateway) {
      auto gw = address(*hop.gateway, hop.gateway->host_prefix_len());
      if (!gw) {
        rtnl_route_nh_free(nh);
        return Error{"allocating a netlink address: out of memory", ENOMEM};
      }
      rtnl_route_nh_set_gateway(nh, gw.get());  // takes its own reference
    }
    if (r.nexthops.size() > 1) {
      // rtnh_hops is the weight minus one (ip route shows hops + 1).
      rtnl_route_nh_set_weight(nh, static_cast<std::uint8_t>(hop.weight - 1));
    }
    if (hop.onlink) rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
    rtnl_route_add_nexthop(obj.get(), nh);  // the route owns it now
  }
  return obj;
}

std::string describe(const Rule& r) {
  std::string out = "rule from ";
  out += r.from ? r.from->to_string() + "/" + std::to_string(r.from_len) : "all";
  if (r.to) out += " to " + r.to->to_string() + "/" + std::to_string(r.to_len);
  return out + " pref " + std::to_string(r.priority);
}

Result<RulePtr> to_rtnl(const Rule& r) {
  RulePtr obj(rtnl_rule_alloc());
  if (!obj) return Error{"allocating an rtnl rule: out of memory", ENOMEM};
  rtnl_rule_set_family(obj.get(), r.family == AddressFamily::V4 ? AF_INET : AF_INET6);
  rtnl_rule_set_prio(obj.get(), r.priority);
  rtnl_rule_set_action(obj.get(), static_cast<std::uint8_t>(r.action));
  if (r.action == RuleAction::Table) rtnl_rule_set_table(obj.get(), r.table);
  if (r.action == RuleAction::Goto) rtnl_rule_set_goto(obj.get(), r.goto_target);
  for (const auto& [a, len, from] : {std::tuple{r.from, r.from_len, true},
                                      std::tuple{r.to, r.to_len, false}}) {
    if (!a) continue;
    auto addr = address(*a, len);
    if (!addr) return Error{"allocating a netlink address: out of memory", ENOMEM};
    const int err = from ? rtnl_rule_set_src(obj.get(), addr.get())
                         : rtnl_rule_set_dst(obj.get(), addr.get());
    if (err < 0) return netlink_error("setting " + describe(r), err);
  }
  if (r.fwmark) rtnl_rule_set_mark(obj.get(), *r.fwmark);
  if (r.fwmask) rtnl_rule_set_mask(obj.get(), *r.fwmask);
  if (!r.iif.empty()) rtnl_rule_set_iif(obj.get(), r.iif.c_str());
  if (!r.oif.empty()) rtnl_rule_set_oif(obj.get(), r.oif.c_str());
  if (r.tos != 0) rtnl_rule_set_dsfield(obj.get(), r.tos);
  if (r.protocol != 0) rtnl_rule_set_protocol(obj.get(), r.protocol);
  return obj;
}

}  // namespace

Status add_route(RouteSocket& sock, const Route& route) {
  auto obj = to_rtnl(route);
  if (!obj) return obj.error();
  if (const int err = rtnl_route_add(sock.get(), obj->get(), NLM_F_EXCL); err < 0) {
    return netlink_error("adding " + describe(route), err);
  }
  return {};
}

Status delete_route(RouteSocket& sock, const Route& route) {
  auto obj = to_rtnl(route);
  if (!obj) return obj.error();
  if (const int err = rtnl_route_delete(sock.get(), obj->get(), 0); err < 0) {
    return netlink_error("deleting " + describe(route), err);
  }
  return {};
}

Status add_rule(RouteSocket& sock, const Rule& rule) {
  auto obj = to_rtnl(rule);
  if (!obj) return obj.error();
  if (const int err = rtnl_rule_add(sock.get(), obj->get(), NLM_F_EXCL); err < 0) {
    return netlink_error("adding " + describe(rule), err);
  }
  return {};
}

Status delete_rule(RouteSocket& sock, const Rule& rule) {
  auto obj = to_rtnl(rule);
  if (!obj) return obj.error();
  if (const int err = rtnl_rule_delete(sock.get(), obj->get(), 0); err < 0) {
    return netlink_error("deleting " + describe(rule), err);
  }
  return {};
}

}  // namespace lvsctl::netlink
