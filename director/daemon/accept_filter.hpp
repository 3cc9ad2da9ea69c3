#pragma once
// no_accept (RFC 5798 Accept_Mode False; vrrp_strict's default): a MASTER that is not the
// address owner drops traffic to and from its VIPs, as keepalived 2.2.7 does with its nftables
// table `keepalived`. lvsctl's tables are `ip lvsctl_vrrp` and `ip6 lvsctl_vrrp`: a set of the
// dropped VIPs, chains `in` (input) and `out` (output) at priority filter - 1 (before the usual
// filter chains and before IPVS), IPv6 neighbour solicitations and adverts accepted.
// Pure: which VIPs are dropped now, and the tables that drop them.
#include <functional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/ip_address.hpp"
#include "shared/nft/nft_expr.hpp"
#include "shared/nft/nft_rule_write.hpp"

namespace lvsctl::director {

inline constexpr const char* kAcceptFilterTable = "lvsctl_vrrp";

// The VIPs dropped now: virtual_ipaddress and virtual_ipaddress_excluded of the MASTER instances
// whose accept mode is off and that are not the address owner (priority 255), sorted, each once. Link-local IPv6 VIPs are left out (keepalived
// keys them by interface; lvsctl does not filter them).
std::vector<IpAddress> accept_filter_vips(
    const config::Config& config, const std::function<bool(const std::string& instance)>& is_master);

// Whether any instance has accept mode off: otherwise lvsctl leaves nftables alone.
bool accept_filter_wanted(const config::Config& config);

struct NftTableSpec {
  NftFamily family = NftFamily::Ip;
  std::string name;
  std::vector<NftBaseChain> chains;
  std::vector<std::pair<NftChainId, std::vector<Expr>>> rules;  // appended, in order
};

// The tables dropping `vips`: one per address family that has some; none for no VIPs.
std::vector<NftTableSpec> accept_filter_tables(const std::vector<IpAddress>& vips);

}  // namespace lvsctl::director
