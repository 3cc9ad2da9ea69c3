#pragma once
// --persist: writes (or removes) our rules where the distribution restores the firewall at boot.
// Paths live under $LVSCTL_FIREWALL_ROOT when set (tests), else under /.
//   nftables: /etc/nftables.d/lvsctl-vrrp.nft + an include line in /etc/nftables.conf
//   iptables: /etc/iptables/rules.v4|v6 (Debian) or /etc/sysconfig/iptables|ip6tables (RHEL)
// Adapter over persist_text.
#include <string>
#include <vector>

#include "firewall/backends.hpp"
#include "firewall/report.hpp"

namespace lvsctl::firewall {

// Returns one note per file written or changed.
Result<std::vector<std::string>> persist_nft(const std::vector<ChainReport>& chains);
Result<std::vector<std::string>> unpersist_nft();
Result<std::vector<std::string>> persist_iptables(IptVariant variant, const Target& target);
Result<std::vector<std::string>> unpersist_iptables(bool ipv6);

}  // namespace lvsctl::firewall
