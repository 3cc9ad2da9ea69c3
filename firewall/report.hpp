#pragma once
// What a firewall command did and found, per backend and chain, as values the CLI prints as
// text or JSON. Pure.
#include <optional>
#include <string>
#include <vector>

#include "firewall/nft_verdict.hpp"
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

enum class Backend { Nftables, IptablesLegacy, IptablesNft };
const char* backend_name(Backend b);  // "nftables", "iptables-legacy", "iptables-nft"

// What one input chain does with VRRP of one IP version from one source.
struct PathVerdict {
  AddressFamily version = AddressFamily::V4;
  std::string source = "any";  // a peer address, or "any" when no peer was given
  Outcome outcome = Outcome::Unknown;
  std::string rule;            // the deciding rule as text, or the policy
  std::string rule_ref;        // "handle 7", "rule 3", "policy"
  bool ours = false;           // decided by a rule tagged lvsctl:vrrp
};

struct ChainReport {
  Backend backend = Backend::Nftables;
  std::string family;  // nftables: ip/ip6/inet; iptables: ip/ip6
  std::string table;
  std::string chain;
  std::string action;  // insert, replace, keep, remove, not-needed, skipped-iptables-nft, none
  std::vector<std::string> rules;  // our rules as text (added, kept or removed)
  std::vector<PathVerdict> verdicts;
};

struct FirewallReport {
  std::vector<Backend> backends;   // backends looked at
  std::vector<ChainReport> chains;
  std::vector<std::string> notes;  // e.g. "nothing needs doing", files written by --persist
  bool changed = false;
};

// The adverts status judges: per requested IP version, one per peer (or one from "any" source),
// arriving on `interface` (index `ifindex`) when given.
std::vector<VrrpPacket> vrrp_packets(const VrrpRequest& request,
                                     std::optional<std::uint32_t> ifindex);

// True when every verdict of every chain is "accepted".
bool all_accepted(const FirewallReport& report);

// JSON text of the report (one object: backends, chains with verdicts, notes, changed).
std::string to_json(const FirewallReport& report);

// Human text, one line per chain and verdict.
std::string to_text(const FirewallReport& report);

}  // namespace lvsctl::firewall
