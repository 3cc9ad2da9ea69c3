// Pure chain selection and plans of the nftables backend.
#include <gtest/gtest.h>

#include "firewall/nft_plan.hpp"
#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

NftChain base_chain(NftFamily f, const char* table, const char* name, bool drop,
                    std::uint32_t hook = nft::kHookInput, const char* type = "filter") {
  NftChain c;
  c.id = {f, table, name};
  c.base = true;
  c.hook = hook;
  c.policy_drop = drop;
  c.type = type;
  return c;
}

NftRule rule(const NftChainId& id, std::uint64_t handle, std::vector<Expr> exprs,
             std::optional<std::string> comment = std::nullopt) {
  return NftRule{id, handle, std::move(exprs), std::move(comment)};
}

// tcp dport 22 <verdict>, as nft compiles it (meta l4proto + transport payload).
std::vector<Expr> tcp22(std::int32_t verdict) {
  return {MetaExpr{nft::kMetaL4proto, 1}, CmpExpr{1, nft::CmpOp::Eq, Bytes{6}},
          PayloadExpr{nft::kPayloadTransport, 2, 2, 1}, CmpExpr{1, nft::CmpOp::Eq, Bytes{0, 22}},
          VerdictExpr{verdict, {}}};
}

const NftChainPlan* find(const NftPlan& p, const char* table, const char* chain) {
  for (const auto& c : p.chains) {
    if (c.chain.table == table && c.chain.chain == chain) return &c;
  }
  return nullptr;
}

TEST(FirewallChainSelection, OneRulePerInputChainThatCanDrop) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "filter"}, {NftFamily::Ip, "extra"}, {NftFamily::Ip, "quiet"}};
  rs.chains = {base_chain(NftFamily::Inet, "filter", "input", true),
               base_chain(NftFamily::Inet, "filter", "forward", true, 2),
               base_chain(NftFamily::Ip, "extra", "in", false),
               base_chain(NftFamily::Ip, "quiet", "in", false)};
  rs.rules = {rule(rs.chains[2].id, 3, tcp22(nft::kDrop)),
              rule(rs.chains[3].id, 4, {CounterExpr{}})};
  const NftPlan plan = plan_allow(rs, VrrpRequest{});
  ASSERT_EQ(plan.chains.size(), 3u);  // forward is not on the input hook
  EXPECT_EQ(find(plan, "filter", "input")->action, ChainAction::Insert);
  EXPECT_EQ(find(plan, "extra", "in")->action, ChainAction::Insert);  // a rule can drop
  EXPECT_EQ(find(plan, "quiet", "in")->action, ChainAction::NotNeeded);
  ASSERT_EQ(find(plan, "filter", "input")->insert.size(), 1u);
  EXPECT_EQ(find(plan, "filter", "input")->insert[0],
            build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, VrrpRequest{}));
  EXPECT_TRUE(plan.changes());
}

TEST(FirewallChainSelection, NothingFiltersInput) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "t"}};
  rs.chains = {base_chain(NftFamily::Inet, "t", "out", true, 3)};
  const NftPlan plan = plan_allow(rs, VrrpRequest{});
  EXPECT_FALSE(plan.any_filtering());
  EXPECT_FALSE(plan.changes());
}

TEST(FirewallChainSelection, DropReachedThroughAJumpCounts) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Ip, "t"}};
  NftChain regular;
  regular.id = {NftFamily::Ip, "t", "blocklist"};
  rs.chains = {base_chain(NftFamily::Ip, "t", "input", false), regular};
  rs.rules = {rule(rs.chains[0].id, 2, {VerdictExpr{nft::kJump, "blocklist"}}),
              rule(regular.id, 3, {RejectExpr{}})};
  EXPECT_EQ(plan_allow(rs, VrrpRequest{}).chains.at(0).action, ChainAction::Insert);
}

TEST(FirewallChainSelection, Ip6ChainOnlyWhenIpv6Requested) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Ip6, "t6"}};
  rs.chains = {base_chain(NftFamily::Ip6, "t6", "input", true)};
  EXPECT_EQ(plan_allow(rs, VrrpRequest{}).chains.at(0).action, ChainAction::NotNeeded);
  VrrpRequest both;
  both.ipv6 = true;
  const NftPlan plan = plan_allow(rs, both);
  EXPECT_EQ(plan.chains.at(0).action, ChainAction::Insert);
  EXPECT_EQ(plan.chains.at(0).insert.size(), 1u);  // only the IPv6 rule in an ip6 table
}

TEST(FirewallChainSelection, InetChainGetsOneRulePerRequestedVersion) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "t"}};
  rs.chains = {base_chain(NftFamily::Inet, "t", "input", true)};
  VrrpRequest both;
  both.ipv6 = true;
  const NftPlan plan = plan_allow(rs, both);
  ASSERT_EQ(plan.chains.at(0).insert.size(), 2u);
  EXPECT_EQ(plan.chains.at(0).versions, (std::vector<AddressFamily>{AddressFamily::V4, AddressFamily::V6}));
}

TEST(FirewallChainSelection, IdenticalRuleOnTopIsKept) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "t"}};
  rs.chains = {base_chain(NftFamily::Inet, "t", "input", true)};
  const auto ours = build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, VrrpRequest{});
  rs.rules = {rule(rs.chains[0].id, 9, ours, std::string(kRuleTag)),
              rule(rs.chains[0].id, 2, tcp22(nft::kAccept))};
  const NftPlan plan = plan_allow(rs, VrrpRequest{});
  EXPECT_EQ(plan.chains.at(0).action, ChainAction::Keep);
  EXPECT_FALSE(plan.changes());
}

TEST(FirewallChainSelection, OurRuleBelowAnotherRuleOrDifferentIsReplaced) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "t"}};
  rs.chains = {base_chain(NftFamily::Inet, "t", "input", true)};
  const auto ours = build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, VrrpRequest{});
  rs.rules = {rule(rs.chains[0].id, 2, tcp22(nft::kDrop)),
              rule(rs.chains[0].id, 9, ours, std::string(kRuleTag))};
  NftPlan plan = plan_allow(rs, VrrpRequest{});
  EXPECT_EQ(plan.chains.at(0).action, ChainAction::Replace);
  EXPECT_EQ(plan.chains.at(0).delete_handles, (std::vector<std::uint64_t>{9}));
  EXPECT_EQ(plan.chains.at(0).insert.size(), 1u);

  VrrpRequest on_em1;
  on_em1.interface = "em1";
  std::swap(rs.rules[0], rs.rules[1]);  // ours on top, but for any interface
  plan = plan_allow(rs, on_em1);
  EXPECT_EQ(plan.chains.at(0).action, ChainAction::Replace);
}

TEST(FirewallChainSelection, SetElementsReadBackCompareRegardlessOfOrder) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Ip, "t"}};
  rs.chains = {base_chain(NftFamily::Ip, "t", "input", true)};
  VrrpRequest req;
  req.peers = {parse_peer("198.51.100.2").value(), parse_peer("198.51.100.3").value()};
  auto ours = build_vrrp_rule(NftFamily::Ip, AddressFamily::V4, req);
  auto& lookup = std::get<LookupExpr>(ours[3]);
  lookup.set = "__set0";  // as the kernel names it
  std::swap(lookup.elements[0], lookup.elements[1]);
  rs.rules = {rule(rs.chains[0].id, 5, ours, std::string(kRuleTag))};
  EXPECT_EQ(plan_allow(rs, req).chains.at(0).action, ChainAction::Keep);
  lookup.elements_known = false;
  rs.rules = {rule(rs.chains[0].id, 5, ours, std::string(kRuleTag))};
  EXPECT_EQ(plan_allow(rs, req).chains.at(0).action, ChainAction::Replace);
}

TEST(FirewallChainSelection, IptablesNftTablesAreSkipped) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Ip, "filter", true}};
  rs.chains = {base_chain(NftFamily::Ip, "filter", "INPUT", true)};
  const NftPlan plan = plan_allow(rs, VrrpRequest{});
  EXPECT_EQ(plan.chains.at(0).action, ChainAction::SkippedIptables);
  EXPECT_FALSE(plan.any_filtering());
}

TEST(FirewallChainSelection, RevokeDeletesOnlyTaggedRules) {
  NftRuleset rs;
  rs.tables = {{NftFamily::Inet, "t"}, {NftFamily::Ip, "u"}};
  rs.chains = {base_chain(NftFamily::Inet, "t", "input", true),
               base_chain(NftFamily::Ip, "u", "input", false)};
  rs.rules = {rule(rs.chains[0].id, 7, {VerdictExpr{}}, std::string(kRuleTag)),
              rule(rs.chains[0].id, 8, {VerdictExpr{}}, std::string("ssh")),
              rule(rs.chains[1].id, 9, {VerdictExpr{}})};
  const NftPlan plan = plan_revoke(rs);
  ASSERT_EQ(plan.chains.size(), 1u);
  EXPECT_EQ(plan.chains[0].delete_handles, (std::vector<std::uint64_t>{7}));
  EXPECT_TRUE(plan.chains[0].insert.empty());
}

}  // namespace
}  // namespace lvsctl::firewall
