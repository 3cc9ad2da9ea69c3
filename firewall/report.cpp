#include "firewall/report.hpp"

#include <fmt/format.h>

#include "shared/json_writer.hpp"

namespace lvsctl::firewall {
namespace {

const char* version_name(AddressFamily v) { return v == AddressFamily::V4 ? "ipv4" : "ipv6"; }

}  // namespace

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::Nftables: return "nftables";
    case Backend::IptablesLegacy: return "iptables-legacy";
    case Backend::IptablesNft: return "iptables-nft";
  }
  return "?";
}

std::vector<VrrpPacket> vrrp_packets(const VrrpRequest& request,
                                     std::optional<std::uint32_t> ifindex) {
  std::vector<VrrpPacket> out;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (!request.wants(v)) continue;
    VrrpPacket base;
    base.version = v;
    base.iifname = request.interface;
    base.iif = ifindex;
    const auto peers = request.peers_of(v);
    if (peers.empty()) {
      out.push_back(base);
    } else {
      for (const auto& p : peers) {
        VrrpPacket pk = base;
        pk.source = p;
        out.push_back(pk);
      }
    }
  }
  return out;
}

bool all_accepted(const FirewallReport& report) {
  for (const auto& c : report.chains) {
    for (const auto& v : c.verdicts) {
      if (v.outcome != Outcome::Accepted) return false;
    }
  }
  return true;
}

std::string to_json(const FirewallReport& report) {
  JsonWriter w;
  w.begin_object().key("backends").begin_array();
  for (Backend b : report.backends) w.value(backend_name(b));
  w.end_array().key("changed").value(report.changed).key("vrrp_accepted").value(all_accepted(report));
  w.key("chains").begin_array();
  for (const auto& c : report.chains) {
    w.begin_object().key("backend").value(backend_name(c.backend)).key("family").value(c.family);
    w.key("table").value(c.table).key("chain").value(c.chain).key("action").value(c.action);
    w.key("rules").begin_array();
    for (const auto& rule : c.rules) w.value(rule);
    w.end_array().key("verdicts").begin_array();
    for (const auto& v : c.verdicts) {
      w.begin_object().key("ip_version").value(version_name(v.version)).key("source").value(v.source);
      w.key("vrrp").value(outcome_name(v.outcome)).key("by").value(v.rule_ref).key("rule").value(v.rule);
      w.key("ours").value(v.ours).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("notes").begin_array();
  for (const auto& n : report.notes) w.value(n);
  w.end_array().end_object();
  return w.str();
}

std::string to_text(const FirewallReport& report) {
  std::string s;
  for (const auto& c : report.chains) {
    s += fmt::format("{} {} {} {}: {}\n", backend_name(c.backend), c.family, c.table, c.chain,
                     c.action);
    for (const auto& r : c.rules) s += fmt::format("  rule: {}\n", r);
    for (const auto& v : c.verdicts) {
      s += fmt::format("  vrrp {} from {}: {} by {}{}: {}\n", version_name(v.version), v.source,
                       outcome_name(v.outcome), v.rule_ref, v.ours ? " (lvsctl)" : "", v.rule);
    }
  }
  for (const auto& n : report.notes) s += n + "\n";
  return s;
}

}  // namespace lvsctl::firewall
