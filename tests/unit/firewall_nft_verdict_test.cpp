// Pure evaluation: what an nftables input chain does with a VRRP advert.
#include <gtest/gtest.h>

#include "firewall/nft_verdict.hpp"
#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

struct Lab {
  NftRuleset rs;
  NftChainId input{NftFamily::Inet, "filter", "input"};
  Lab(bool drop_policy) {
    rs.tables = {{NftFamily::Inet, "filter"}};
    NftChain c;
    c.id = input;
    c.base = true;
    c.hook = nft::kHookInput;
    c.policy_drop = drop_policy;
    c.type = "filter";
    rs.chains.push_back(c);
  }
  void add(std::uint64_t handle, std::vector<Expr> exprs, const char* comment = nullptr,
           const char* chain = nullptr) {
    NftRule r;
    r.chain = input;
    if (chain) r.chain.chain = chain;
    r.handle = handle;
    r.exprs = std::move(exprs);
    if (comment) r.comment = comment;
    rs.rules.push_back(std::move(r));
  }
  ChainVerdict judge_it(const VrrpPacket& p) const { return judge(rs, rs.chains[0], p); }
};

Bytes ifname(const char* n) {
  Bytes b(16, 0);
  for (std::size_t i = 0; n[i]; ++i) b[i] = static_cast<std::uint8_t>(n[i]);
  return b;
}

std::vector<Expr> iif_accept(const char* name) {
  return {MetaExpr{nft::kMetaIifname, 1}, CmpExpr{1, nft::CmpOp::Eq, ifname(name)},
          VerdictExpr{nft::kAccept, {}}};
}

std::vector<Expr> l4proto_accept(std::uint8_t proto) {
  return {MetaExpr{nft::kMetaL4proto, 1}, CmpExpr{1, nft::CmpOp::Eq, Bytes{proto}},
          VerdictExpr{nft::kAccept, {}}};
}

// ct state established,related accept (nft: ct load, bitwise & 0x6, cmp != 0)
std::vector<Expr> ct_established_accept() {
  return {CtExpr{nft::kCtState, 1}, BitwiseExpr{1, 1, Bytes{6, 0, 0, 0}, Bytes{0, 0, 0, 0}},
          CmpExpr{1, nft::CmpOp::Neq, Bytes{0, 0, 0, 0}}, VerdictExpr{nft::kAccept, {}}};
}

VrrpPacket from(const char* peer, const char* iface = "eth0") {
  VrrpPacket p;
  if (iface) p.iifname = iface;
  if (peer) p.source = parse_peer(peer).value();
  return p;
}

TEST(FirewallNftVerdict, TheUsersDropPolicyDropsVrrp) {
  Lab lab(true);
  lab.add(2, iif_accept("lo"));
  lab.add(3, l4proto_accept(1));
  lab.add(4, ct_established_accept());
  const auto v = lab.judge_it(from("198.51.100.2"));
  EXPECT_EQ(v.outcome, Outcome::Dropped);
  EXPECT_FALSE(v.rule_handle);
  EXPECT_EQ(v.rule_text, "policy drop");
}

TEST(FirewallNftVerdict, OurRuleOnTopAccepts) {
  Lab lab(true);
  lab.add(9, build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, VrrpRequest{}), "lvsctl:vrrp");
  lab.add(2, iif_accept("lo"));
  const auto v = lab.judge_it(from("198.51.100.2"));
  EXPECT_EQ(v.outcome, Outcome::Accepted);
  EXPECT_EQ(v.rule_handle, 9u);
  EXPECT_TRUE(v.by_our_rule);
}

TEST(FirewallNftVerdict, PeerRestrictedRuleDropsOtherSources) {
  Lab lab(true);
  VrrpRequest req;
  req.interface = "eth0";
  req.peers = {parse_peer("198.51.100.2").value(), parse_peer("198.51.100.3").value()};
  lab.add(9, build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, req), "lvsctl:vrrp");
  EXPECT_EQ(lab.judge_it(from("198.51.100.3")).outcome, Outcome::Accepted);
  EXPECT_EQ(lab.judge_it(from("198.51.100.9")).outcome, Outcome::Dropped);
  EXPECT_EQ(lab.judge_it(from("198.51.100.2", "eth1")).outcome, Outcome::Dropped);
}

TEST(FirewallNftVerdict, UnknownSourceMakesAPeerRuleUncertain) {
  Lab lab(true);
  VrrpRequest req;
  req.peers = {parse_peer("198.51.100.2").value()};
  lab.add(9, build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, req), "lvsctl:vrrp");
  const auto v = lab.judge_it(from(nullptr));
  EXPECT_EQ(v.outcome, Outcome::Unknown);
  EXPECT_EQ(v.rule_handle, 9u);
}

TEST(FirewallNftVerdict, UnknownInterfaceIsStillNotLoopback) {
  Lab lab(true);
  lab.add(2, iif_accept("lo"));
  EXPECT_EQ(lab.judge_it(from("198.51.100.2", nullptr)).outcome, Outcome::Dropped);
}

TEST(FirewallNftVerdict, UnknownInterfaceMakesAnInterfaceRuleUncertain) {
  Lab lab(true);
  lab.add(2, iif_accept("eth0"));
  VrrpPacket p;
  EXPECT_EQ(lab.judge_it(p).outcome, Outcome::Unknown);
  EXPECT_EQ(lab.judge_it(from(nullptr, "eth0")).outcome, Outcome::Accepted);
}

TEST(FirewallNftVerdict, RejectAndJumpsAreFollowed) {
  Lab lab(false);
  NftChain sub;
  sub.id = {NftFamily::Inet, "filter", "checks"};
  lab.rs.chains.push_back(sub);
  lab.add(2, {VerdictExpr{nft::kJump, "checks"}});
  lab.add(3, l4proto_accept(6), nullptr, "checks");
  lab.add(4, {MetaExpr{nft::kMetaL4proto, 1}, CmpExpr{1, nft::CmpOp::Eq, Bytes{112}}, RejectExpr{}},
          nullptr, "checks");
  const auto v = lab.judge_it(from("198.51.100.2"));
  EXPECT_EQ(v.outcome, Outcome::Dropped);
  EXPECT_EQ(v.rule_handle, 4u);
  EXPECT_EQ(v.rule_chain->chain, "checks");
  EXPECT_TRUE(can_drop(lab.rs, lab.rs.chains[0]));
}

TEST(FirewallNftVerdict, UnmodelledExpressionBeforeADropIsUnknown) {
  Lab lab(false);
  lab.add(2, {OtherExpr{"limit", {}}, VerdictExpr{nft::kDrop, {}}});
  EXPECT_EQ(lab.judge_it(from("198.51.100.2")).outcome, Outcome::Unknown);
}

TEST(FirewallNftVerdict, Ipv6AdvertInAnIpv4OnlyRule) {
  Lab lab(true);
  lab.add(9, build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, VrrpRequest{}), "lvsctl:vrrp");
  VrrpPacket p = from("2001:db8::2");
  p.version = AddressFamily::V6;
  EXPECT_EQ(lab.judge_it(p).outcome, Outcome::Dropped);
}

TEST(FirewallNftVerdict, IptablesNftRejectTargetCanDrop) {
  Lab lab(false);
  lab.add(2, {CounterExpr{}, OtherExpr{"target", "REJECT"}});
  EXPECT_TRUE(can_drop(lab.rs, lab.rs.chains[0]));
  EXPECT_EQ(lab.judge_it(from("198.51.100.2")).outcome, Outcome::Dropped);
}

}  // namespace
}  // namespace lvsctl::firewall
