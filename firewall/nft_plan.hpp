#pragma once
// Chain selection and the change plan for the nftables backend. Pure: given the ruleset as a
// value and the request, says which input base chains need our rule, and which rules to delete
// and insert. The adapter executes the plan in one atomic batch.
#include <string>
#include <vector>

#include "firewall/nft_model.hpp"
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

enum class ChainAction {
  Insert,        // our rule is missing: insert it at the top
  Replace,       // our rule is there but differs or is no longer on top: delete, insert
  Keep,          // our rule is there, identical and on top: nothing to do
  Remove,        // revoke: delete our rules
  NotNeeded,     // the chain cannot drop: an accept here changes nothing
  SkippedIptables,  // a table of iptables-nft: the iptables-nft backend handles it
};
const char* action_name(ChainAction a);

struct NftChainPlan {
  NftChainId chain;
  ChainAction action = ChainAction::NotNeeded;
  std::vector<std::uint64_t> delete_handles;        // our rules to delete first
  std::vector<std::vector<Expr>> insert;            // rules to have on top, in order
  std::vector<AddressFamily> versions;                  // IP version of each inserted rule
};

struct NftPlan {
  std::vector<NftChainPlan> chains;  // every input base chain seen, in ruleset order
  bool changes() const;              // any delete or insert
  bool any_filtering() const;        // at least one chain needs (or has) our rule
};

// True for base chains of type filter on the input hook in an ip, ip6 or inet table.
bool is_input_filter(const NftChain& chain);

// allow-vrrp: for each input filter chain that can drop, in a family that carries a requested
// IP version, our rule(s) on top; chains that cannot drop are NotNeeded.
NftPlan plan_allow(const NftRuleset& ruleset, const VrrpRequest& request);

// revoke-vrrp: delete every rule tagged lvsctl:vrrp outside iptables-nft tables.
NftPlan plan_revoke(const NftRuleset& ruleset);

}  // namespace lvsctl::firewall
