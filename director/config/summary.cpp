#include "director/config/summary.hpp"

#include <fmt/format.h>

#include "director/config/dns_names.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

std::string endpoint(const IpAddress& a, std::uint16_t port) {
  return a.is_v6() ? fmt::format("[{}]:{}", a.to_string(), port)
                   : fmt::format("{}:{}", a.to_string(), port);
}

std::string describe_checker(const Checker& c) {
  std::string out = to_string(c.kind);
  if (const auto* m = std::get_if<MiscCheck>(&c.spec)) {
    out += fmt::format(" '{}' misc_timeout {}", m->path.command, format_duration(m->timeout));
    if (m->dynamic) out += " misc_dynamic";
  } else if (const auto* f = std::get_if<FileCheck>(&c.spec)) {
    return out + fmt::format(" track_file {} weight {}{}", f->track_file, f->weight,
                             f->reverse ? " reverse" : "");
  } else {
    out += fmt::format(" {} connect_timeout {}", to_string(c.connect),
                       format_duration(c.connect_timeout));
  }
  out += fmt::format(" retry {} delay_before_retry {}", c.retry,
                     format_duration(c.delay_before_retry));
  if (const auto* h = std::get_if<HttpCheck>(&c.spec)) {
    for (const auto& u : h->urls) {
      out += fmt::format(" url {}", u.path);
      if (u.digest) out += " (digest)";
    }
  }
  if (const auto* d = std::get_if<DnsCheck>(&c.spec)) {
    out += fmt::format(" type {} name {}", dns_type_name(d->type), d->name);
  }
  return out;
}

}  // namespace

std::string summarize(const Config& c) {
  std::string out;
  out += fmt::format("VRRP instances: {}\n", c.vrrp_instances.size());
  for (const auto& vi : c.vrrp_instances) {
    out +=
        fmt::format("  {}: VRID {} on {}, state {}, priority {}, advert_int {}, VRRPv{}", vi.name,
                    vi.vrid, vi.interface.empty() ? "-" : vi.interface, to_string(vi.state),
                    vi.priority, format_duration(vi.advert_int), vi.version);
    if (vi.auth_type != AuthType::None) out += fmt::format(", auth {}", to_string(vi.auth_type));
    if (vi.nopreempt) out += ", nopreempt";
    if (!vi.unicast_peers.empty())
      out += fmt::format(", unicast to {} peer(s)", vi.unicast_peers.size());
    if (!vi.sync_group.empty()) out += fmt::format(", sync group {}", vi.sync_group);
    out += "\n";
    std::string vips;
    for (const auto& va : vi.virtual_ipaddress) {
      if (!vips.empty()) vips += ", ";
      vips += va.prefix.to_string();
      if (!va.dev.empty()) vips += " dev " + va.dev;
    }
    out += fmt::format("    VIPs: {}\n", vips.empty() ? "none" : vips);
    if (!vi.virtual_ipaddress_excluded.empty()) {
      out += fmt::format("    excluded VIPs: {}\n", vi.virtual_ipaddress_excluded.size());
    }
  }
  out += fmt::format("Virtual servers: {}\n", c.virtual_servers.size());
  for (const auto& vs : c.virtual_servers) {
    std::string scheduler = vs.scheduler;
    for (unsigned bit = 0; bit < 3; ++bit) {
      if (vs.scheduler_flags & (1U << bit)) {
        scheduler += " " + scheduler_flag_name(vs.scheduler, bit);
      }
    }
    if (vs.one_packet) scheduler += " ops";
    out += fmt::format("  {} {} {} {}", vs.display_name(),
                       vs.protocol ? to_string(*vs.protocol) : "fwmark", scheduler,
                       to_string(vs.method));
    if (vs.persistence_timeout != 0) {
      out += fmt::format(", persistence_timeout {}s", vs.persistence_timeout);
    }
    out += fmt::format(", delay_loop {}", format_duration(vs.delay_loop));
    if (vs.sorry_server) {
      out += fmt::format(", sorry_server {}",
                         endpoint(vs.sorry_server->address, vs.sorry_server->port));
    }
    out += "\n";
    for (const auto& rs : vs.real_servers) {
      out += fmt::format("    real server {} weight {}", endpoint(rs.address, rs.port), rs.weight);
      if (rs.method != vs.method) out += fmt::format(" {}", to_string(rs.method));
      if (rs.inhibit_on_failure) out += " inhibit_on_failure";
      out += "\n";
      for (const auto& ck : rs.checkers) out += "      " + describe_checker(ck) + "\n";
      if (rs.checkers.empty()) out += "      no checker (always up)\n";
    }
  }
  return out;
}

}  // namespace lvsctl::director::config
