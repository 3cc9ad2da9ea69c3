#include "lab/topology.hpp"

#include <fmt/format.h>

namespace lvsctl::lab {

std::string ns_name(std::string_view short_name) {
  return std::string(kPrefix) + std::string(short_name);
}

bool is_lab_namespace(std::string_view name) {
  if (name.size() <= kPrefix.size() || name.substr(0, kPrefix.size()) != kPrefix) return false;
  for (char c : name.substr(kPrefix.size())) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string service_name(std::string_view rs, unsigned short port) {
  return fmt::format("{}-{}", rs, port);
}

namespace {

std::string virtual_server(unsigned short port) {
  std::string out = fmt::format(
      "virtual_server {} {} {{\n"
      "    delay_loop 1\n"
      "    lb_algo rr\n"
      "    lb_kind NAT\n"
      "    protocol TCP\n",
      kVip, port);
  for (const auto& rs : kRealServers) {
    out += fmt::format(
        "    real_server {} {} {{\n"
        "        weight 1\n"
        "        TCP_CHECK {{\n"
        "            connect_timeout 1\n"
        "            retry 1\n"
        "            delay_before_retry 1\n"
        "            connect_port {}\n"
        "        }}\n"
        "    }}\n",
        rs.address, port, port);
  }
  return out + "}\n";
}

std::string vrrp_instance(const Director& d, std::string_view name, std::string_view interface,
                          unsigned vrid, std::string_view vip) {
  return fmt::format(
      "vrrp_instance {} {{\n"
      "    state {}\n"
      "    interface {}\n"
      "    virtual_router_id {}\n"
      "    priority {}\n"
      "    advert_int 1\n"
      "    authentication {{\n"
      "        auth_type PASS\n"
      "        auth_pass 12345\n"
      "    }}\n"
      "    virtual_ipaddress {{\n"
      "        {}\n"
      "    }}\n"
      "}}\n",
      name, d.state, interface, vrid, d.priority, vip);
}

}  // namespace

std::string director_config(const Director& d) {
  std::string out = fmt::format(
      "! lvsctl lab: tests/data/configs/seed-{}.conf translated to the lab's namespaces.\n"
      "! Changed from the seed: addresses (10.0.200.0/24 -> 203.0.113.0/24, real servers on\n"
      "! 198.51.100.0/24 behind the directors); lb_kind DR -> NAT with a second VRRP instance\n"
      "! (VRID 101, same sync group) holding the real servers' gateway; no persistence_timeout\n"
      "! (one client would stick to one real server for 50 s); health checks every second\n"
      "! instead of delay_loop 6 / connect_timeout 10 / 3 retries, so a demo takes seconds.\n"
      "! lb_backend is not set: `auto` picks IPVS when the kernel has it, else nftables.\n"
      "global_defs {{\n"
      "    router_id {}\n"
      "}}\n"
      "vrrp_sync_group VG_LAB {{\n"
      "    group {{\n"
      "        VIP_NSQ_100\n"
      "        VIP_GW_101\n"
      "    }}\n"
      "}}\n",
      d.priority == 100 ? "master" : "backup", d.router_id);
  out += vrrp_instance(d, "VIP_NSQ_100", "eth0", 100, kVip);
  out += vrrp_instance(d, "VIP_GW_101", "eth1", 101, fmt::format("{}/24", kGatewayVip));
  for (unsigned short port : kPorts) out += virtual_server(port);
  return out;
}

std::string firewall_ruleset() {
  // Forwarded (NAT) traffic and the director's own health checks pass; VRRP (IP protocol 112)
  // arriving for this host is dropped by the input policy.
  return "table inet lvslab_filter {\n"
         "  chain input {\n"
         "    type filter hook input priority 0; policy drop;\n"
         "    iifname \"lo\" accept\n"
         "    ct state established,related accept\n"
         "    meta l4proto icmp accept\n"
         "  }\n"
         "}\n";
}

}  // namespace lvsctl::lab
