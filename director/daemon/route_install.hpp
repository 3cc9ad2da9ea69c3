#pragma once
// Addresses, routes and rules installed together and removed together: a vrrp_instance's
// virtual_routes / virtual_rules while it is MASTER, and the static_ipaddress / static_routes /
// static_rules of the whole daemon (keepalived 2.2.7 sets those at start and removes them when it
// stops). The kernel form of each config line is computed here (interface names resolved when
// installing); what to install when is decided by the callers (the state machine's add_vips /
// remove_vips actions, the daemon's start and stop).
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/netlink/interface_address.hpp"
#include "shared/netlink/ip_route.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {

// The kernel form of a config line. Errors: ENODEV for an interface that does not exist.
Result<netlink::Route> kernel_route(const config::IpRoute& route);
netlink::Rule kernel_rule(const config::IpRule& rule);
// A virtual_ipaddress-style line; `default_dev` when it names no dev.
Result<netlink::InterfaceAddress> kernel_address(const config::VirtualAddress& address,
                                                 const std::string& default_dev);
std::uint8_t address_scope(const std::string& scope);  // "link" -> 253, ...

class NetworkSet {
 public:
  // `owner` prefixes log lines ("VRRP_Instance(VI_1)", "static").
  NetworkSet(netlink::RouteSocket& rtnl, std::string owner) : rtnl_(rtnl), owner_(std::move(owner)) {}

  // What install() puts in the kernel. Lines marked no_install are kept out.
  void configure(std::vector<config::VirtualAddress> addresses, std::string default_dev,
                 std::vector<config::IpRoute> routes, std::vector<config::IpRule> rules);
  // Addresses, then routes, then rules (an entry already there is fine; failures are logged and
  // the rest still goes in).
  void install();
  // Rules, then routes, then addresses (an entry already gone is fine).
  void remove();
  // A reload: what the new configuration no longer has leaves the kernel (when installed), what
  // it adds goes in (when installed); unchanged entries are not touched.
  void reconfigure(std::vector<config::VirtualAddress> addresses, std::string default_dev,
                   std::vector<config::IpRoute> routes, std::vector<config::IpRule> rules);
  bool installed() const { return installed_; }
  bool empty() const { return addresses_.empty() && routes_.empty() && rules_.empty(); }

 private:
  void put(bool present, const std::vector<config::VirtualAddress>& addresses,
           const std::vector<config::IpRoute>& routes, const std::vector<config::IpRule>& rules);

  netlink::RouteSocket& rtnl_;
  std::string owner_;
  std::vector<config::VirtualAddress> addresses_;
  std::string default_dev_;
  std::vector<config::IpRoute> routes_;
  std::vector<config::IpRule> rules_;
  bool installed_ = false;
};

// static_ipaddress / static_routes / static_rules of `config` into `set` (installed at once; on
// a reload only the differences change). Lines without dev use keepalived's default_interface,
// eth0.
void apply_static_network(NetworkSet& set, const config::Config& config);

}  // namespace lvsctl::director
