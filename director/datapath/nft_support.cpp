#include "director/datapath/nft_support.hpp"

#include <fmt/format.h>

#include "director/datapath/nft_lb_table.hpp"

namespace lvsctl::director::datapath {
namespace {

std::string_view method_name(config::ForwardingMethod m) {
  switch (m) {
    case config::ForwardingMethod::Dr: return "DR";
    case config::ForwardingMethod::Tun: return "TUN";
    case config::ForwardingMethod::Nat: break;
  }
  return "NAT";
}

std::string method_reason(config::ForwardingMethod) {
  return "lb_kind TUN cannot be expressed with nftables (IP-in-IP encapsulation); use lb_backend "
         "ipvs";
}

bool vrrp_vip(const config::Config& config, const IpAddress& address) {
  for (const auto& instance : config.vrrp_instances) {
    for (const auto& vip : instance.virtual_ipaddress) {
      if (vip.prefix.address == address) return true;
    }
  }
  return false;
}

}  // namespace

conf::Diagnostics nftables_diagnostics(const config::Config& config) {
  conf::Diagnostics out;
  auto error = [&](const conf::Location& at, std::string message) {
    out.push_back({conf::Severity::Error, at, "nftables datapath: " + std::move(message)});
  };
  auto warning = [&](const conf::Location& at, std::string message) {
    out.push_back({conf::Severity::Warning, at, "nftables datapath: " + std::move(message)});
  };
  auto group_of = [&](const std::string& name) -> const config::VirtualServerGroup* {
    for (const auto& g : config.virtual_server_groups) {
      if (g.name == name) return &g;
    }
    return nullptr;
  };
  for (const auto& vs : config.virtual_servers) {
    const auto name = vs.display_name();
    if (vs.kind == config::VirtualServerKind::Fwmark) {
      error(vs.where, fmt::format("virtual_server {}: fwmark services are not supported", name));
      continue;
    }
    if (vs.kind == config::VirtualServerKind::Address) {
      if (!vs.address.is_v4()) {
        error(vs.where, fmt::format("virtual_server {}: IPv6 is not supported yet", name));
      }
      if (vs.port == 0) {
        error(vs.where, fmt::format("virtual_server {}: port 0 (all ports) is not supported",
                                    name));
      }
    } else if (const auto* g = group_of(vs.group)) {
      for (const auto& r : g->ranges) {
        if (!r.first.is_v4()) error(r.where, "virtual_server_group: IPv6 is not supported yet");
        if (r.port == 0) error(r.where, "virtual_server_group: an entry without a port is not "
                                        "supported");
      }
      for (const auto& f : g->fwmarks) {
        error(f.where, "virtual_server_group: fwmark entries are not supported");
      }
    }
    if (vs.protocol && *vs.protocol == config::Protocol::Sctp) {
      error(vs.where, fmt::format("virtual_server {}: protocol SCTP is not supported (TCP and "
                                  "UDP are)", name));
    }
    if (!nftlb::scheduler_supported(vs.scheduler)) {
      error(vs.where,
            fmt::format("virtual_server {}: scheduler '{}' cannot be expressed with nftables "
                        "(supported: rr, wrr, sh, mh; lc, wlc, lblc, lblcr, dh, sed, nq, fo, ovf "
                        "and twos need connection counts or tables nftables does not keep)",
                        name, vs.scheduler));
    }
    if (vs.method == config::ForwardingMethod::Tun) {
      error(vs.where, fmt::format("virtual_server {}: {}", name, method_reason(vs.method)));
    }
    const bool dr = vs.method == config::ForwardingMethod::Dr;
    if (dr && vs.kind == config::VirtualServerKind::Address && vs.address.is_v4() &&
        !vrrp_vip(config, vs.address)) {
      error(vs.where, fmt::format("virtual_server {}: lb_kind DR needs the VIP in a "
                                  "vrrp_instance's virtual_ipaddress (its ingress chain goes on "
                                  "that interface, and only while the instance is MASTER)",
                                  name));
    }
    for (const auto& rs : vs.real_servers) {
      if (rs.method == config::ForwardingMethod::Tun && vs.method != rs.method) {
        error(rs.where, fmt::format("real_server {}: {}", rs.address.to_string(),
                                    method_reason(rs.method)));
      } else if (rs.method != vs.method && vs.method != config::ForwardingMethod::Tun) {
        error(rs.where, fmt::format("real_server {}: lb_kind {} in a virtual server whose lb_kind "
                                    "is {}: the nftables datapath forwards a service one way",
                                    rs.address.to_string(), method_name(rs.method),
                                    method_name(vs.method)));
      }
      if (!rs.address.is_v4()) {
        error(rs.where, fmt::format("real_server {}: IPv6 is not supported yet",
                                    rs.address.to_string()));
      }
    }
    if (vs.sorry_server && vs.sorry_server->method.value_or(vs.method) != vs.method) {
      error(vs.sorry_server->where,
            fmt::format("sorry_server: lb_kind {} differs from the virtual server's {}",
                        method_name(*vs.sorry_server->method), method_name(vs.method)));
    }
    if (vs.persistence_timeout != 0 && vs.persistence_granularity) {
      error(vs.where, fmt::format("virtual_server {}: persistence_granularity is not supported "
                                  "(persistence is per client address)",
                                  name));
    }
    if (vs.one_packet) {
      warning(vs.where, fmt::format("virtual_server {}: ops is ignored", name));
    }
    if (vs.scheduler_flags != 0) {
      warning(vs.where, fmt::format("virtual_server {}: scheduler flags are ignored", name));
    }
  }
  return out;
}

}  // namespace lvsctl::director::datapath
