#pragma once
// The three backends' commands. Each reads the live ruleset, plans with the pure core, applies,
// reads again and reports what every input chain now does with VRRP. Adapters around the core.
#include <optional>
#include <vector>

#include "firewall/iptables_tool.hpp"
#include "firewall/report.hpp"
#include "firewall/vrrp_request.hpp"
#include "shared/result.hpp"

namespace lvsctl::firewall {

struct Target {
  VrrpRequest request;
  std::optional<std::uint32_t> ifindex;  // of request.interface in this namespace
};

// nftables over netlink. allow: our rule on top of each input filter chain that can drop.
Result<std::vector<ChainReport>> nft_allow(const Target& target, bool& changed);
Result<std::vector<ChainReport>> nft_revoke(bool& changed);
Result<std::vector<ChainReport>> nft_status(const Target& target);

// iptables/ip6tables (legacy or nft variant), filter table, INPUT chain.
Result<std::vector<ChainReport>> ipt_allow(IptVariant variant, const Target& target, bool& changed);
Result<std::vector<ChainReport>> ipt_revoke(IptVariant variant, bool ipv6, bool& changed);
Result<std::vector<ChainReport>> ipt_status(IptVariant variant, const Target& target);

// Whether the backend filters input on this host (namespace):
//   nftables: a non-iptables-nft table has an input filter chain;
//   iptables-nft: an nftables table of iptables-nft has an INPUT chain that can drop;
//   iptables-legacy: the legacy filter table exists and its INPUT chain can drop.
Result<bool> backend_in_use(Backend backend, bool ipv6);

}  // namespace lvsctl::firewall
