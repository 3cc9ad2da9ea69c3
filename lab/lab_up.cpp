// Lab::up: the namespaces, links, addresses and routes, the backup's firewall, the real servers
// and their services, then the directors; each step waits for its outcome.
#include <thread>

#include "lab/lab.hpp"
#include "lab/launch.hpp"
#include "lab/observe.hpp"
#include "lab/probe.hpp"

namespace lvsctl::lab {

using namespace std::chrono_literals;

Status Lab::ip(std::vector<std::string> args) {
  args.insert(args.begin(), "ip");
  return run_logged(args, dir_.file("setup.log"), 20s);
}

// A veth from namespace `short_ns` (named `ifname` there) to `bridge` in the hub.
Status Lab::link(const std::string& short_ns, const std::string& ifname,
                 const std::string& bridge, const std::string& address) {
  const std::string ns = ns_name(short_ns);
  const std::string hub = ns_name(kHub);
  const std::string port = short_ns + "-" + ifname;  // the hub's end: "d1-eth0"
  // Both ends are created directly in their namespaces: the root namespace never has them.
  if (auto st = ip({"link", "add", port, "netns", hub, "type", "veth", "peer", "name", ifname,
                    "netns", ns});
      !st) {
    return st;
  }
  if (auto st = ip({"-n", hub, "link", "set", port, "master", bridge, "up"}); !st) return st;
  if (auto st = ip({"-n", ns, "addr", "add", address, "dev", ifname}); !st) return st;
  return ip({"-n", ns, "link", "set", ifname, "up"});
}

Status Lab::build_namespaces() {
  std::vector<std::string> all = {std::string(kHub), std::string(kClient)};
  for (const auto& d : kDirectors) all.emplace_back(d.name);
  for (const auto& rs : kRealServers) all.emplace_back(rs.name);
  for (const auto& n : all) {
    if (auto st = ip({"netns", "add", ns_name(n)}); !st) return st;
    if (auto st = ip({"-n", ns_name(n), "link", "set", "lo", "up"}); !st) return st;
  }
  const std::string hub = ns_name(kHub);
  for (const char* br : {"br0", "br1"}) {
    if (auto st = ip({"-n", hub, "link", "add", br, "type", "bridge"}); !st) return st;
    if (auto st = ip({"-n", hub, "link", "set", br, "up"}); !st) return st;
  }
  // A switch, not a firewall: where br_netfilter is loaded, bridged frames would pass the hub's
  // (empty) netfilter hooks. Per-namespace sysctls; absent without the module, so not checked.
  for (const char* f : {"iptables", "ip6tables", "arptables"}) {
    (void)code_in(std::string(kHub), {"sysctl", "-qw", fmt::format("net.bridge.bridge-nf-call-{}=0", f)},
                  dir_.file("setup.log"), 10s);
  }
  if (auto st = link(std::string(kClient), "eth0", "br0", std::string(kClientAddress) + "/24"); !st) {
    return st;
  }
  for (const auto& d : kDirectors) {
    const std::string n(d.name);
    if (auto st = link(n, "eth0", "br0", std::string(d.front) + "/24"); !st) return st;
    if (auto st = link(n, "eth1", "br1", std::string(d.back) + "/24"); !st) return st;
    if (auto st = run_in(n, {"sysctl", "-qw", "net.ipv4.ip_forward=1"}, dir_.file("setup.log"));
        !st) {
      return st;
    }
  }
  for (const auto& rs : kRealServers) {
    const std::string n(rs.name);
    if (auto st = link(n, "eth0", "br1", std::string(rs.address) + "/24"); !st) return st;
    if (auto st = ip({"-n", ns_name(n), "route", "add", "default", "via", std::string(kGatewayVip)});
        !st) {
      return st;
    }
  }
  return {};
}

Status Lab::up() {
  if (auto st = down(); !st) return Error{"cleaning up the previous lab: " + st.error().message};
  if (auto st = dir_.create(); !st) return st;
  for (const auto& d : kDirectors) {
    if (auto st = dir_.write(std::string(d.name) + ".conf", director_config(d)); !st) return st;
  }
  if (auto st = dir_.write("firewall.nft", firewall_ruleset()); !st) return st;

  if (auto st = build_namespaces(); !st) return st;
  progress_.line(fmt::format("namespaces {}{{hub,cl,d1,d2,r1,r2}}: client {}, directors {} and {}, "
                             "real servers {} and {}",
                             kPrefix, kClientAddress, kDirectors[0].front, kDirectors[1].front,
                             kRealServers[0].address, kRealServers[1].address));

  // The backup's firewall drops VRRP; `firewall allow-vrrp` lets it in before the directors
  // start (the demo takes it away again to show a split brain).
  const std::string fw(kFirewalled);
  if (auto st = run_in(fw, {"nft", "-f", dir_.file("firewall.nft")}, dir_.file("firewall.log"));
      !st) {
    return st;
  }
  if (auto st = run_in(fw, {self_, "firewall", "allow-vrrp"}, dir_.file("firewall.log")); !st) {
    return st;
  }

  // Real servers: the VIP on lo with the ARP sysctls (`realserver start`, inside their
  // namespace), and the three services answering with the real server's name.
  for (const auto& rs : kRealServers) {
    const std::string n(rs.name);
    if (auto st = run_in(n, {self_, "realserver", "start", "--vip", std::string(kVip),
                             "--state-dir", dir_.file(n + "-realserver")},
                         dir_.file(n + "-realserver.log"));
        !st) {
      return st;
    }
    for (unsigned short port : kPorts) {
      if (auto st = start_service(rs, port); !st) return st;
    }
  }
  for (const auto& rs : kRealServers) {
    for (unsigned short port : kPorts) {
      const std::string ns = ns_name(rs.name);
      if (!wait_until([&] { return tcp_connect(ns, std::string(rs.address), port, 500ms).ok(); },
                      20s)) {
        return Error{fmt::format("the service {} does not answer (see {})",
                                 service_name(rs.name, port),
                                 dir_.file(service_name(rs.name, port) + ".log"))};
      }
    }
  }
  progress_.line(fmt::format("real servers r1, r2: `realserver start`, services on :{}, :{}, :{}",
                             kPorts[0], kPorts[1], kPorts[2]));

  for (const auto& d : kDirectors) {
    if (auto st = start_director(d); !st) return st;
  }
  const Director& d1 = kDirectors[0];
  const Director& d2 = kDirectors[1];
  if (!wait_until([&] {
        return vrrp_state(dir_, d1) == "MASTER" && vrrp_state(dir_, d2) == "BACKUP";
      }, 30s)) {
    return Error{fmt::format("d1 is {} and d2 {} after 30 s (see {} and {})", vrrp_state(dir_, d1),
                             vrrp_state(dir_, d2), dir_.file("d1.log"), dir_.file("d2.log"))};
  }
  progress_.line(fmt::format("directors: d1 MASTER (holds {}), d2 BACKUP; datapath {}", kVip,
                             datapath_line()));
  for (unsigned short port : kPorts) {
    if (!wait_until([&] { return sample_vip(port, 4, 1s).by_server.size() == kRealServers.size(); },
                    30s)) {
      return Error{fmt::format("the client does not reach both real servers on :{}: {}", port,
                               sample_vip(port, 4, 1s).text())};
    }
  }
  return {};
}

}  // namespace lvsctl::lab
