#pragma once
// Rule, base chain and table values (shared/nft/nft_expr.hpp) as libnftnl messages in an
// NftBatch. Adapter: no decisions. Used by the firewall role (its VRRP accept rules) and the
// director (the no_accept filter of its VIPs).
#include <cstdint>
#include <string>
#include <vector>

#include "shared/nft/nft_batch.hpp"
#include "shared/nft/nft_expr.hpp"
#include "shared/result.hpp"

namespace lvsctl {

struct NftRuleOptions {
  std::string comment;  // empty: none
  bool append = false;  // false: at the head of the chain
};

// A rule of `exprs` in chain `id`. A LookupExpr carrying elements gets an anonymous constant set
// of them (IPv4 or IPv6 addresses), numbered from `next_set_id`. Fails on an expression kind
// lvsctl never builds.
Status add_nft_rule(NftBatch& batch, const NftChainId& id, const std::vector<Expr>& exprs,
                    std::uint32_t& next_set_id, const NftRuleOptions& options = {});

// A base chain: `type` (filter, nat) on `hook` (NF_INET_*) at `priority`, policy accept.
struct NftBaseChain {
  NftChainId id;
  std::uint32_t hook = 0;
  std::int32_t priority = 0;
  std::string type = "filter";
};
void add_nft_base_chain(NftBatch& batch, const NftBaseChain& chain);

void add_nft_table(NftBatch& batch, NftFamily family, const std::string& name);
// Deletes the table whether it exists or not: the table is declared first (NEWTABLE without
// EXCL is a no-op for an existing table), so the transaction never fails on a missing one.
void delete_nft_table_if_any(NftBatch& batch, NftFamily family, const std::string& name);

}  // namespace lvsctl
