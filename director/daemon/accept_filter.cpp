#include "director/daemon/accept_filter.hpp"

#include <algorithm>

namespace lvsctl::director {
namespace {

constexpr std::uint32_t kHookInput = 1;   // NF_INET_LOCAL_IN
constexpr std::uint32_t kHookOutput = 3;  // NF_INET_LOCAL_OUT
constexpr std::int32_t kFilterMinusOne = -1;
constexpr std::uint8_t kIcmpv6 = 58;
constexpr std::uint8_t kNeighbourSolicit = 135;
constexpr std::uint8_t kNeighbourAdvert = 136;

bool filtered(const IpAddress& a) { return !(a.is_v6() && a.is_link_local()); }

// `ip daddr @vips drop` (or saddr): the address at `offset` of the network header in the set.
std::vector<Expr> drop_rule(std::uint32_t offset, std::uint32_t len, std::vector<NftBytes> set) {
  LookupExpr lookup;
  lookup.sreg = nft::kReg1;
  lookup.set = "__set%d";
  lookup.elements = std::move(set);
  return {PayloadExpr{nft::kPayloadNetwork, offset, len, nft::kReg1}, std::move(lookup),
          VerdictExpr{nft::kDrop, {}}};
}

// `icmpv6 type TYPE accept`: neighbour discovery keeps working for the VIPs.
std::vector<Expr> accept_icmpv6(std::uint8_t type) {
  return {MetaExpr{nft::kMetaL4proto, nft::kReg1},
          CmpExpr{nft::kReg1, nft::CmpOp::Eq, {kIcmpv6}},
          PayloadExpr{nft::kPayloadTransport, 0, 1, nft::kReg1},
          CmpExpr{nft::kReg1, nft::CmpOp::Eq, {type}},
          VerdictExpr{nft::kAccept, {}}};
}

}  // namespace

std::vector<IpAddress> accept_filter_vips(
    const config::Config& config,
    const std::function<bool(const std::string& instance)>& is_master) {
  std::vector<IpAddress> vips;
  for (const auto& instance : config.vrrp_instances) {
    // The address owner (priority 255) never drops, even with no_accept (as keepalived).
    if (instance.accept || instance.priority == 255 || !is_master(instance.name)) continue;
    for (const auto* list : {&instance.virtual_ipaddress, &instance.virtual_ipaddress_excluded}) {
      for (const auto& vip : *list) {
        if (filtered(vip.prefix.address)) vips.push_back(vip.prefix.address);
      }
    }
  }
  std::sort(vips.begin(), vips.end());
  vips.erase(std::unique(vips.begin(), vips.end()), vips.end());
  return vips;
}

bool accept_filter_wanted(const config::Config& config) {
  return std::any_of(config.vrrp_instances.begin(), config.vrrp_instances.end(),
                     [](const auto& instance) { return !instance.accept && instance.priority != 255; });
}

std::vector<NftTableSpec> accept_filter_tables(const std::vector<IpAddress>& vips) {
  std::vector<NftTableSpec> tables;
  for (const bool v6 : {false, true}) {
    std::vector<NftBytes> set;
    for (const auto& a : vips) {
      if (a.is_v6() == v6) set.emplace_back(a.bytes().begin(), a.bytes().end());
    }
    if (set.empty()) continue;
    NftTableSpec t;
    t.family = v6 ? NftFamily::Ip6 : NftFamily::Ip;
    t.name = kAcceptFilterTable;
    const NftChainId in{t.family, t.name, "in"};
    const NftChainId out{t.family, t.name, "out"};
    t.chains = {{in, kHookInput, kFilterMinusOne}, {out, kHookOutput, kFilterMinusOne}};
    const std::uint32_t len = v6 ? 16 : 4;
    const std::uint32_t saddr = v6 ? 8 : 12;
    const std::uint32_t daddr = v6 ? 24 : 16;
    for (const auto& chain : {in, out}) {
      if (v6) {
        t.rules.emplace_back(chain, accept_icmpv6(kNeighbourSolicit));
        t.rules.emplace_back(chain, accept_icmpv6(kNeighbourAdvert));
      }
      t.rules.emplace_back(chain, drop_rule(chain.chain == "in" ? daddr : saddr, len, set));
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace lvsctl::director
