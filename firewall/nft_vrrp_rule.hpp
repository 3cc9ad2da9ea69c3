#pragma once
// Builds our nftables VRRP accept rule as expression values, and renders rules as nft text
// (for `status` output and the --persist include file). Pure.
#include <string>
#include <vector>

#include "firewall/nft_model.hpp"
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

// Table families in which a rule for IP version `v` can live: ip/inet for V4, ip6/inet for V6.
bool family_carries(NftFamily family, AddressFamily v);

// The expressions of the accept rule for VRRP of version `v` in a chain of `family`
// (precondition: family_carries(family, v)). Layout, in kernel order:
//   [meta iifname == IF]  [meta nfproto == v (inet only)]  ip protocol / meta l4proto == 112
//   [ip(6) saddr == PEER | ip(6) saddr in {PEERS}]  accept
std::vector<Expr> build_vrrp_rule(NftFamily family, AddressFamily v, const VrrpRequest& request);

// The same rule in nft syntax, without comment, e.g.
//   iifname "eth0" ip protocol vrrp ip saddr { 198.51.100.2, 198.51.100.3 } accept
std::string vrrp_rule_text(NftFamily family, AddressFamily v, const VrrpRequest& request);

// Best-effort nft-like text of any rule's expressions (unknown expressions as "<name>").
std::string describe(const std::vector<Expr>& exprs);

}  // namespace lvsctl::firewall
