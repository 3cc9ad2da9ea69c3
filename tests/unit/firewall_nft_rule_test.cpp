// Pure nftables rule building: the expressions of our VRRP accept rule and its nft text.
#include <gtest/gtest.h>

#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

IpAddress peer(const char* text) { return parse_peer(text).value(); }

TEST(FirewallNftRule, Ipv4InIpTableIsProtocolThenAccept) {
  VrrpRequest req;
  const auto exprs = build_vrrp_rule(NftFamily::Ip, AddressFamily::V4, req);
  const std::vector<Expr> want{
      PayloadExpr{nft::kPayloadNetwork, 9, 1, nft::kReg1},
      CmpExpr{nft::kReg1, nft::CmpOp::Eq, Bytes{112}},
      VerdictExpr{nft::kAccept, {}},
  };
  EXPECT_EQ(exprs, want);
  EXPECT_EQ(describe(exprs), "ip protocol vrrp accept");
  EXPECT_EQ(vrrp_rule_text(NftFamily::Ip, AddressFamily::V4, req), "ip protocol vrrp accept");
}

TEST(FirewallNftRule, InetTableChecksNfprotoFirst) {
  VrrpRequest req;
  const auto exprs = build_vrrp_rule(NftFamily::Inet, AddressFamily::V4, req);
  ASSERT_EQ(exprs.size(), 5u);
  EXPECT_EQ(exprs[0], Expr(MetaExpr{nft::kMetaNfproto, nft::kReg1}));
  EXPECT_EQ(exprs[1], Expr(CmpExpr{nft::kReg1, nft::CmpOp::Eq, Bytes{2}}));
}

TEST(FirewallNftRule, InterfaceIsPaddedToIfnamsiz) {
  VrrpRequest req;
  req.interface = "em1";
  const auto exprs = build_vrrp_rule(NftFamily::Ip, AddressFamily::V4, req);
  ASSERT_GE(exprs.size(), 2u);
  EXPECT_EQ(exprs[0], Expr(MetaExpr{nft::kMetaIifname, nft::kReg1}));
  Bytes name(16, 0);
  name[0] = 'e';
  name[1] = 'm';
  name[2] = '1';
  EXPECT_EQ(exprs[1], Expr(CmpExpr{nft::kReg1, nft::CmpOp::Eq, name}));
  EXPECT_EQ(describe(exprs), "iifname \"em1\" ip protocol vrrp accept");
}

TEST(FirewallNftRule, OnePeerIsACompareOfTheSourceAddress) {
  VrrpRequest req;
  req.peers = {peer("198.51.100.2")};
  const auto exprs = build_vrrp_rule(NftFamily::Ip, AddressFamily::V4, req);
  ASSERT_EQ(exprs.size(), 5u);
  EXPECT_EQ(exprs[2], Expr(PayloadExpr{nft::kPayloadNetwork, 12, 4, nft::kReg1}));
  EXPECT_EQ(exprs[3], Expr(CmpExpr{nft::kReg1, nft::CmpOp::Eq, Bytes{198, 51, 100, 2}}));
  EXPECT_EQ(vrrp_rule_text(NftFamily::Ip, AddressFamily::V4, req),
            "ip protocol vrrp ip saddr 198.51.100.2 accept");
}

TEST(FirewallNftRule, SeveralPeersAreAnAnonymousSetSortedAndDeduplicated) {
  VrrpRequest req;
  req.peers = {peer("198.51.100.3"), peer("198.51.100.2"), peer("198.51.100.3")};
  const auto exprs = build_vrrp_rule(NftFamily::Ip, AddressFamily::V4, req);
  const auto* lookup = std::get_if<LookupExpr>(&exprs.at(3));
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->set, "__set%d");
  EXPECT_TRUE(lookup->elements_known);
  EXPECT_EQ(lookup->elements, (std::vector<Bytes>{{198, 51, 100, 2}, {198, 51, 100, 3}}));
  EXPECT_EQ(describe(exprs), "ip protocol vrrp ip saddr { 198.51.100.2, 198.51.100.3 } accept");
}

TEST(FirewallNftRule, Ipv6UsesL4protoAndOnlyIpv6Peers) {
  VrrpRequest req;
  req.ipv6 = true;
  req.peers = {peer("198.51.100.2"), peer("2001:db8::2")};
  const auto exprs = build_vrrp_rule(NftFamily::Ip6, AddressFamily::V6, req);
  ASSERT_EQ(exprs.size(), 5u);
  EXPECT_EQ(exprs[0], Expr(MetaExpr{nft::kMetaL4proto, nft::kReg1}));
  EXPECT_EQ(exprs[2], Expr(PayloadExpr{nft::kPayloadNetwork, 8, 16, nft::kReg1}));
  EXPECT_EQ(vrrp_rule_text(NftFamily::Inet, AddressFamily::V6, req),
            "meta nfproto ipv6 meta l4proto vrrp ip6 saddr 2001:db8::2 accept");
  EXPECT_EQ(vrrp_rule_text(NftFamily::Ip6, AddressFamily::V6, req),
            "meta l4proto vrrp ip6 saddr 2001:db8::2 accept");
}

TEST(FirewallNftRule, FamiliesCarryingAVersion) {
  EXPECT_TRUE(family_carries(NftFamily::Ip, AddressFamily::V4));
  EXPECT_FALSE(family_carries(NftFamily::Ip, AddressFamily::V6));
  EXPECT_TRUE(family_carries(NftFamily::Ip6, AddressFamily::V6));
  EXPECT_FALSE(family_carries(NftFamily::Ip6, AddressFamily::V4));
  EXPECT_TRUE(family_carries(NftFamily::Inet, AddressFamily::V4));
  EXPECT_TRUE(family_carries(NftFamily::Inet, AddressFamily::V6));
}

TEST(FirewallRequest, ParsePeerNamesTheBadValue) {
  auto bad = parse_peer("198.51.100.300");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("198.51.100.300"), std::string::npos);
  EXPECT_EQ(parse_peer("2001:DB8::0002").value().to_string(), "2001:db8::2");
}

TEST(FirewallRequest, ValidateRejectsIncoherentRequests) {
  VrrpRequest req;
  req.interface = "a-name-longer-than-15";
  EXPECT_FALSE(validate(req));
  req.interface = "eth0";
  EXPECT_TRUE(validate(req));
  req.peers = {peer("2001:db8::2")};
  EXPECT_FALSE(validate(req));  // IPv6 peer, IPv6 not requested
  req.ipv6 = true;
  EXPECT_FALSE(validate(req));  // IPv4 requested but no IPv4 peer
  req.ipv4 = false;
  EXPECT_TRUE(validate(req));
}

}  // namespace
}  // namespace lvsctl::firewall
