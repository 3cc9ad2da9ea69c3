#include "firewall/commands.hpp"

#include <fmt/format.h>
#include <net/if.h>
#include <spdlog/spdlog.h>

#include <cerrno>

#include "firewall/backends.hpp"
#include "firewall/persist.hpp"
#include "firewall/report.hpp"

namespace lvsctl::firewall {
namespace {

int fail(const char* command, const Error& e) {
  fmt::print(stderr, "lvsctl firewall {}: {}\n", command, e.message);
  return 1;
}

// Parses options into a Target (request + interface index). Exit code on failure.
std::optional<int> make_target(const char* command, const Options& o, Target& t) {
  for (const auto& text : o.peers) {
    auto p = parse_peer(text);
    if (!p) {
      fmt::print(stderr, "lvsctl firewall {}: {}\n", command, p.error().message);
      return 2;
    }
    t.request.peers.push_back(*p);
  }
  if (!o.interface.empty()) t.request.interface = o.interface;
  t.request.ipv6 = o.ipv6;
  // Only IPv6 peers given with --ipv6: the operator means IPv6 only.
  if (o.ipv6 && !t.request.peers.empty() && t.request.peers_of(AddressFamily::V4).empty()) {
    t.request.ipv4 = false;
  }
  if (auto st = validate(t.request); !st) {
    fmt::print(stderr, "lvsctl firewall {}: {}\n", command, st.error().message);
    return 2;
  }
  if (t.request.interface) {
    const unsigned idx = if_nametoindex(t.request.interface->c_str());
    if (idx == 0) {
      fmt::print(stderr,
                 "lvsctl firewall {}: interface '{}' does not exist in this network namespace\n",
                 command, *t.request.interface);
      return 1;
    }
    t.ifindex = idx;
  }
  return std::nullopt;
}

// The backends to act on. auto: those that filter input here (possibly none).
Result<std::vector<Backend>> resolve(const Options& o, bool ipv6, bool for_revoke) {
  if (o.backend == "nftables") return std::vector<Backend>{Backend::Nftables};
  if (o.backend == "iptables-legacy") return std::vector<Backend>{Backend::IptablesLegacy};
  if (o.backend == "iptables-nft") return std::vector<Backend>{Backend::IptablesNft};
  if (o.backend == "iptables") {
    auto legacy = backend_in_use(Backend::IptablesLegacy, ipv6);
    if (!legacy) return legacy.error();
    return std::vector<Backend>{*legacy ? Backend::IptablesLegacy : Backend::IptablesNft};
  }
  std::vector<Backend> out;
  for (Backend b : {Backend::Nftables, Backend::IptablesNft, Backend::IptablesLegacy}) {
    if (for_revoke) {
      // Our rules may be in any backend that exists here.
      if (b != Backend::Nftables &&
          !IptablesTool(b == Backend::IptablesLegacy ? IptVariant::Legacy : IptVariant::Nft,
                        AddressFamily::V4).require()) {
        continue;
      }
      out.push_back(b);
      continue;
    }
    auto used = backend_in_use(b, ipv6);
    if (!used) return used.error();
    if (*used) out.push_back(b);
  }
  return out;
}

IptVariant variant_of(Backend b) {
  return b == Backend::IptablesLegacy ? IptVariant::Legacy : IptVariant::Nft;
}

void append(std::vector<ChainReport>& to, std::vector<ChainReport>&& from) {
  for (auto& c : from) to.push_back(std::move(c));
}

void print(const FirewallReport& r, bool json) {
  fmt::print("{}", json ? to_json(r) : to_text(r));
}

std::string backend_list(const std::vector<Backend>& bs) {
  std::vector<std::string> names;
  for (Backend b : bs) names.emplace_back(backend_name(b));
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

int run_allow(const Options& o) {
  Target t;
  if (auto rc = make_target("allow-vrrp", o, t)) return *rc;
  auto backends = resolve(o, t.request.ipv6, false);
  if (!backends) return fail("allow-vrrp", backends.error());
  FirewallReport report;
  report.backends = *backends;
  if (o.backend == "auto") {
    report.notes.push_back(backends->empty()
                               ? "backend (auto): no firewall filters input here (checked "
                                 "nftables, iptables-nft, iptables-legacy)"
                               : fmt::format("backend (auto): {}", backend_list(*backends)));
  }
  for (Backend b : *backends) {
    auto chains = b == Backend::Nftables ? nft_allow(t, report.changed)
                                         : ipt_allow(variant_of(b), t, report.changed);
    if (!chains) return fail("allow-vrrp", chains.error());
    if (o.persist) {
      auto notes = b == Backend::Nftables ? persist_nft(*chains) : persist_iptables(variant_of(b), t);
      if (!notes) return fail("allow-vrrp --persist", notes.error());
      report.notes.insert(report.notes.end(), notes->begin(), notes->end());
    }
    append(report.chains, std::move(*chains));
  }
  bool needed = false;
  for (const auto& c : report.chains) {
    if (c.action == "skipped-iptables-nft") {
      report.notes.push_back(fmt::format(
          "table {} {} is managed by iptables-nft: use --backend iptables-nft (or auto) for it",
          c.family, c.table));
    }
    if (c.action != "not-needed" && c.action != "skipped-iptables-nft") needed = true;
    if (c.action == "insert" || c.action == "replace") {
      spdlog::info("firewall: VRRP accept rule {} in {} {} {} {}", c.action == "insert" ? "inserted" : "replaced",
                   backend_name(c.backend), c.family, c.table, c.chain);
    }
  }
  if (!needed) report.notes.emplace_back("no input chain can drop VRRP: nothing needs doing");
  print(report, o.json);
  if (!all_accepted(report)) {
    fmt::print(stderr, "lvsctl firewall allow-vrrp: VRRP is still not accepted everywhere (see above)\n");
    return 1;
  }
  return 0;
}

int run_revoke(const Options& o) {
  auto backends = resolve(o, true, true);
  if (!backends) return fail("revoke-vrrp", backends.error());
  FirewallReport report;
  report.backends = *backends;
  for (Backend b : *backends) {
    auto chains = b == Backend::Nftables ? nft_revoke(report.changed)
                                         : ipt_revoke(variant_of(b), true, report.changed);
    if (!chains) return fail("revoke-vrrp", chains.error());
    if (o.persist) {
      auto notes = b == Backend::Nftables ? unpersist_nft() : unpersist_iptables(true);
      if (!notes) return fail("revoke-vrrp --persist", notes.error());
      report.notes.insert(report.notes.end(), notes->begin(), notes->end());
    }
    append(report.chains, std::move(*chains));
  }
  if (!report.changed) report.notes.emplace_back("no lvsctl:vrrp rule found: nothing to remove");
  print(report, o.json);
  return 0;
}

int run_status(const Options& o) {
  Target t;
  if (auto rc = make_target("status", o, t)) return *rc;
  auto backends = resolve(o, t.request.ipv6, false);
  if (!backends) return fail("status", backends.error());
  FirewallReport report;
  report.backends = *backends;
  if (backends->empty()) {
    report.notes.emplace_back("no firewall filters input here: VRRP is accepted");
  }
  for (Backend b : *backends) {
    auto chains = b == Backend::Nftables ? nft_status(t) : ipt_status(variant_of(b), t);
    if (!chains) return fail("status", chains.error());
    append(report.chains, std::move(*chains));
  }
  print(report, o.json);
  return all_accepted(report) ? 0 : 3;
}

}  // namespace lvsctl::firewall
