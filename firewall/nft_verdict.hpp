#pragma once
// Decides, from a ruleset value, what an input chain does with a VRRP advert: a small evaluator
// for the expressions that input filters use (meta, payload, cmp, bitwise, ct state, lookup,
// verdicts, jumps). Expressions it cannot evaluate make the answer "unknown", never a guess.
// Pure.
#include <optional>
#include <string>

#include "firewall/nft_model.hpp"
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

// The advert being judged. Unset fields are unknown (a rule testing them gives "unknown").
struct VrrpPacket {
  AddressFamily version = AddressFamily::V4;
  std::optional<std::string> iifname;
  std::optional<std::uint32_t> iif;     // interface index, when known
  std::optional<IpAddress> source;
};

enum class Outcome { Accepted, Dropped, Unknown };
const char* outcome_name(Outcome o);  // "accepted", "dropped", "unknown"

struct ChainVerdict {
  Outcome outcome = Outcome::Unknown;
  // The deciding rule: its chain and handle; none when the base chain's policy decided.
  std::optional<NftChainId> rule_chain;
  std::optional<std::uint64_t> rule_handle;
  std::string rule_text;   // describe() of the rule, or "policy accept|drop"
  bool by_our_rule = false;  // the deciding rule carries the lvsctl:vrrp tag
};

// What `chain` (a base chain) does with `packet`, following jumps/gotos within its table.
ChainVerdict judge(const NftRuleset& ruleset, const NftChain& chain, const VrrpPacket& packet);

// True when the chain can drop anything: policy drop, a drop/reject rule, an xtables DROP/REJECT
// target, or a jump/goto to a chain that can drop.
bool can_drop(const NftRuleset& ruleset, const NftChain& chain);

}  // namespace lvsctl::firewall
