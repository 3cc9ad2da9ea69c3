#pragma once
// The nftables backend's kernel side over netlink (libmnl + libnftnl): read the ruleset of the
// caller's network namespace into values, and execute a plan as one atomic transaction.
#include "firewall/nft_model.hpp"
#include "firewall/nft_plan.hpp"
#include "shared/result.hpp"

namespace lvsctl::firewall {

// Tables, chains and rules of families ip, ip6 and inet (rule comments from userdata, anonymous
// and named hash sets used by lookups with their elements). Tables of iptables-nft are marked.
Result<NftRuleset> read_nft_ruleset();

// Deletes and inserts what `plan` says, all in one batch: either everything applies or nothing.
// Rules are inserted at the top of their chain, tagged with the comment "lvsctl:vrrp".
Status apply_nft_plan(const NftPlan& plan);

}  // namespace lvsctl::firewall
