#pragma once
// A value model of the parts of an nftables ruleset that matter for VRRP on input: tables, chains
// (base chains with hook, priority, policy) and rules as lists of expressions. The netlink adapter
// fills it from the kernel and turns rule values back into libnftnl objects; everything that
// decides (chain selection, rule building, evaluation) works on these values only.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "shared/nft/nft_expr.hpp"

namespace lvsctl::firewall {

// The expression values and constants live in shared/nft/nft_expr.hpp.
using Bytes = NftBytes;
using lvsctl::BitwiseExpr;
using lvsctl::CmpExpr;
using lvsctl::CounterExpr;
using lvsctl::CtExpr;
using lvsctl::Expr;
using lvsctl::family_name;
using lvsctl::LookupExpr;
using lvsctl::MetaExpr;
using lvsctl::NftChainId;
using lvsctl::NftFamily;
using lvsctl::OtherExpr;
using lvsctl::PayloadExpr;
using lvsctl::RejectExpr;
using lvsctl::VerdictExpr;
namespace nft = lvsctl::nft;

struct NftRule {
  NftChainId chain;
  std::uint64_t handle = 0;
  std::vector<Expr> exprs;
  std::optional<std::string> comment;
};

struct NftChain {
  NftChainId id;
  std::uint64_t handle = 0;
  bool base = false;
  std::uint32_t hook = 0;
  std::int32_t priority = 0;
  bool policy_drop = false;
  std::string type;  // "filter", "nat", "route"
};

struct NftTable {
  NftFamily family = NftFamily::Inet;
  std::string name;
  bool managed_by_iptables = false;  // iptables-nft's table: leave it to that backend
};

struct NftRuleset {
  std::vector<NftTable> tables;
  std::vector<NftChain> chains;
  std::vector<NftRule> rules;  // in chain order, as the kernel lists them

  const NftChain* find_chain(NftFamily f, const std::string& table, const std::string& name) const;
  std::vector<const NftRule*> rules_of(const NftChainId& id) const;
  const NftTable* find_table(NftFamily f, const std::string& name) const;
};

}  // namespace lvsctl::firewall
