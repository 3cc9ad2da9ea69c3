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
  std::string s = "{\"backends\":[";
  for (std::size_t i = 0; i < report.backends.size(); ++i) {
    s += (i ? "," : "") + JsonWriter::escape(backend_name(report.backends[i]));
  }
  s += "],\"changed\":";
  s += report.changed ? "true" : "false";
  s += ",\"vrrp_accepted\":";
  s += all_accepted(report) ? "true" : "false";
  s += ",\"chains\":[";
  for (std::size_t i = 0; i < report.chains.size(); ++i) {
    const auto& c = report.chains[i];
    s += i ? "," : "";
    s += fmt::format("{{\"backend\":{},\"family\":{},\"table\":{},\"chain\":{},\"action\":{},",
                     JsonWriter::escape(backend_name(c.backend)), JsonWriter::escape(c.family),
                     JsonWriter::escape(c.table), JsonWriter::escape(c.chain), JsonWriter::escape(c.action));
    s += "\"rules\":[";
    for (std::size_t j = 0; j < c.rules.size(); ++j) s += (j ? "," : "") + JsonWriter::escape(c.rules[j]);
    s += "],\"verdicts\":[";
    for (std::size_t j = 0; j < c.verdicts.size(); ++j) {
      const auto& v = c.verdicts[j];
      s += j ? "," : "";
      s += fmt::format(
          "{{\"ip_version\":{},\"source\":{},\"vrrp\":{},\"by\":{},\"rule\":{},\"ours\":{}}}",
          JsonWriter::escape(version_name(v.version)), JsonWriter::escape(v.source),
          JsonWriter::escape(outcome_name(v.outcome)), JsonWriter::escape(v.rule_ref), JsonWriter::escape(v.rule),
          v.ours ? "true" : "false");
    }
    s += "]}";
  }
  s += "],\"notes\":[";
  for (std::size_t i = 0; i < report.notes.size(); ++i) {
    s += (i ? "," : "") + JsonWriter::escape(report.notes[i]);
  }
  s += "]}\n";
  return s;
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
