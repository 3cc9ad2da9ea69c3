#include "director/daemon/route_install.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

namespace lvsctl::director {
namespace {

std::uint8_t route_type(config::RouteType t) {
  switch (t) {
    case config::RouteType::Unicast: return 1;      // RTN_UNICAST
    case config::RouteType::Blackhole: return 6;    // RTN_BLACKHOLE
    case config::RouteType::Unreachable: return 7;  // RTN_UNREACHABLE
    case config::RouteType::Prohibit: return 8;     // RTN_PROHIBIT
    case config::RouteType::Throw: return 9;        // RTN_THROW
  }
  return 1;
}

netlink::RuleAction rule_action(config::RuleAction a) {
  switch (a) {
    case config::RuleAction::Table: return netlink::RuleAction::Table;
    case config::RuleAction::Goto: return netlink::RuleAction::Goto;
    case config::RuleAction::Blackhole: return netlink::RuleAction::Blackhole;
    case config::RuleAction::Unreachable: return netlink::RuleAction::Unreachable;
    case config::RuleAction::Prohibit: return netlink::RuleAction::Prohibit;
  }
  return netlink::RuleAction::Table;
}

bool benign(const Status& st, bool present) {
  if (st) return true;
  const int code = st.error().code;
  return present ? code == EEXIST : (code == ENOENT || code == ESRCH || code == EADDRNOTAVAIL);
}

template <typename T, typename Key>
bool contains(const std::vector<T>& list, const T& item, Key key) {
  const auto k = key(item);
  return std::any_of(list.begin(), list.end(), [&](const T& x) { return key(x) == k; });
}

// Comparable identities of config lines (their text, without the location).
std::string route_key(const config::IpRoute& r) {
  return r.to_string() + (r.no_install ? " no_install" : "") +
         fmt::format(" p{} s{} t{}", r.protocol, r.effective_scope(), r.tos);
}
std::string rule_key(const config::IpRule& r) { return r.to_string() + (r.no_install ? "!" : ""); }
std::string address_key(const config::VirtualAddress& a) {
  return a.prefix.to_string() + " " + a.dev + " " + a.scope + " " + a.label;
}

}  // namespace

std::uint8_t address_scope(const std::string& scope) {
  if (scope == "site") return 200;
  if (scope == "link") return 253;
  if (scope == "host") return 254;
  if (scope == "nowhere") return 255;
  return 0;
}

Result<netlink::Route> kernel_route(const config::IpRoute& route) {
  netlink::Route out;
  out.destination = route.destination.address;
  out.prefix_len = static_cast<std::uint8_t>(route.destination.length);
  out.type = route_type(route.type);
  out.table = route.table;
  out.protocol = route.protocol;
  out.scope = route.effective_scope();
  out.tos = route.tos;
  out.metric = route.metric;
  out.preferred_source = route.src;
  for (const auto& nh : route.nexthops) {
    netlink::RouteNexthop hop;
    hop.gateway = nh.via;
    hop.weight = nh.weight;
    hop.onlink = nh.onlink;
    if (!nh.dev.empty()) {
      auto idx = netlink::interface_index(nh.dev);
      if (!idx) return idx.error();
      hop.ifindex = *idx;
    }
    out.nexthops.push_back(hop);
  }
  return out;
}

netlink::Rule kernel_rule(const config::IpRule& rule) {
  netlink::Rule out;
  out.family = rule.family;
  if (rule.from) {
    out.from = rule.from->address;
    out.from_len = static_cast<std::uint8_t>(rule.from->length);
  }
  if (rule.to) {
    out.to = rule.to->address;
    out.to_len = static_cast<std::uint8_t>(rule.to->length);
  }
  out.action = rule_action(rule.action);
  out.table = rule.table;
  out.goto_target = rule.goto_target;
  out.priority = rule.priority;
  out.fwmark = rule.fwmark;
  out.fwmask = rule.fwmask;
  out.iif = rule.iif;
  out.oif = rule.oif;
  out.tos = rule.tos;
  out.protocol = 18;  // RTPROT_KEEPALIVED, as keepalived marks its rules
  return out;
}

Result<netlink::InterfaceAddress> kernel_address(const config::VirtualAddress& address,
                                                 const std::string& default_dev) {
  const std::string& dev = address.dev.empty() ? default_dev : address.dev;
  auto idx = netlink::interface_index(dev);
  if (!idx) return idx.error();
  netlink::InterfaceAddress out;
  out.ifindex = *idx;
  out.address = address.prefix.address;
  out.prefix_len = static_cast<std::uint8_t>(address.prefix.length);
  out.label = address.label;
  return out;
}

void NetworkSet::configure(std::vector<config::VirtualAddress> addresses, std::string default_dev,
                           std::vector<config::IpRoute> routes, std::vector<config::IpRule> rules) {
  addresses_ = std::move(addresses);
  default_dev_ = std::move(default_dev);
  routes_ = std::move(routes);
  rules_ = std::move(rules);
}

void NetworkSet::install() {
  installed_ = true;
  put(true, addresses_, routes_, rules_);
}

void NetworkSet::remove() {
  installed_ = false;
  put(false, addresses_, routes_, rules_);
}

void NetworkSet::reconfigure(std::vector<config::VirtualAddress> addresses,
                             std::string default_dev, std::vector<config::IpRoute> routes,
                             std::vector<config::IpRule> rules) {
  if (installed_) {
    std::vector<config::VirtualAddress> gone_addresses;
    std::vector<config::IpRoute> gone_routes;
    std::vector<config::IpRule> gone_rules;
    std::vector<config::VirtualAddress> new_addresses;
    std::vector<config::IpRoute> new_routes;
    std::vector<config::IpRule> new_rules;
    for (const auto& a : addresses_) {
      if (!contains(addresses, a, address_key)) gone_addresses.push_back(a);
    }
    for (const auto& r : routes_) {
      if (!contains(routes, r, route_key)) gone_routes.push_back(r);
    }
    for (const auto& r : rules_) {
      if (!contains(rules, r, rule_key)) gone_rules.push_back(r);
    }
    for (const auto& a : addresses) {
      if (!contains(addresses_, a, address_key)) new_addresses.push_back(a);
    }
    for (const auto& r : routes) {
      if (!contains(routes_, r, route_key)) new_routes.push_back(r);
    }
    for (const auto& r : rules) {
      if (!contains(rules_, r, rule_key)) new_rules.push_back(r);
    }
    put(false, gone_addresses, gone_routes, gone_rules);
    default_dev_ = default_dev;
    put(true, new_addresses, new_routes, new_rules);
  }
  configure(std::move(addresses), std::move(default_dev), std::move(routes), std::move(rules));
}

void NetworkSet::put(bool present, const std::vector<config::VirtualAddress>& addresses,
                     const std::vector<config::IpRoute>& routes,
                     const std::vector<config::IpRule>& rules) {
  const char* verb = present ? "add" : "remove";
  auto do_addresses = [&] {
    for (const auto& a : addresses) {
      auto addr = kernel_address(a, default_dev_);
      if (!addr) {
        spdlog::error("{} cannot {} address {}: {}", owner_, verb, a.prefix.to_string(),
                      addr.error().message);
        continue;
      }
      auto st = present ? netlink::add_address(rtnl_, *addr,
                                               {.no_dad = true, .scope = address_scope(a.scope)})
                        : netlink::delete_address(rtnl_, *addr);
      if (!benign(st, present)) {
        spdlog::error("{} cannot {} address {}: {}", owner_, verb, a.prefix.to_string(),
                      st.error().message);
      }
    }
  };
  auto do_routes = [&] {
    for (const auto& r : routes) {
      if (r.no_install) continue;
      auto route = kernel_route(r);
      if (!route) {
        spdlog::error("{} cannot {} route {}: {}", owner_, verb, r.to_string(),
                      route.error().message);
        continue;
      }
      auto st = present ? netlink::add_route(rtnl_, *route) : netlink::delete_route(rtnl_, *route);
      if (!benign(st, present)) {
        spdlog::error("{} cannot {} route {}: {}", owner_, verb, r.to_string(), st.error().message);
      }
    }
  };
  auto do_rules = [&] {
    for (const auto& r : rules) {
      if (r.no_install) continue;
      auto st = present ? netlink::add_rule(rtnl_, kernel_rule(r))
                        : netlink::delete_rule(rtnl_, kernel_rule(r));
      if (!benign(st, present)) {
        spdlog::error("{} cannot {} rule {}: {}", owner_, verb, r.to_string(), st.error().message);
      }
    }
  };
  if (present) {
    do_addresses();
    do_routes();
    do_rules();
  } else {
    do_rules();
    do_routes();
    do_addresses();
  }
}

void apply_static_network(NetworkSet& set, const config::Config& config) {
  if (set.empty() && config.static_ipaddress.empty() && config.static_routes.empty() &&
      config.static_rules.empty()) {
    return;
  }
  if (set.installed()) {
    set.reconfigure(config.static_ipaddress, "eth0", config.static_routes, config.static_rules);
  } else {
    set.configure(config.static_ipaddress, "eth0", config.static_routes, config.static_rules);
    set.install();
  }
}

}  // namespace lvsctl::director
