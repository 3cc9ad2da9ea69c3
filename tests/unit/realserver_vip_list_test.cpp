// VIP list handling: parsing, validation, splitting and merging of VIPs from several sources.
#include <gtest/gtest.h>

#include "realserver/vip_list.hpp"

namespace lvsctl::realserver {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

TEST(RealserverParseVip, AcceptsAddressWithOrWithoutHostPrefix) {
  EXPECT_EQ(*parse_vip("198.51.100.7"), ip("198.51.100.7"));
  EXPECT_EQ(*parse_vip("198.51.100.7/32"), ip("198.51.100.7"));
  EXPECT_EQ(*parse_vip("2001:db8::7/128"), ip("2001:db8::7"));
}

TEST(RealserverParseVip, RejectsBadTextNamingIt) {
  auto r = parse_vip("10.0.200.300");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'10.0.200.300'"), std::string::npos);
  EXPECT_NE(r.error().message.find("not an IPv4 or IPv6 address"), std::string::npos);
}

TEST(RealserverParseVip, RejectsNetworkPrefixes) {
  auto r = parse_vip("198.51.100.7/24");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'198.51.100.7/24'"), std::string::npos);
  EXPECT_NE(r.error().message.find("/24"), std::string::npos);
  EXPECT_FALSE(parse_vip("198.51.100.7/"));
  EXPECT_FALSE(parse_vip("198.51.100.7/3x"));
  EXPECT_FALSE(parse_vip("2001:db8::1/64"));
}

TEST(RealserverParseVip, RejectsAddressesThatCannotBeVips) {
  for (const char* s : {"0.0.0.0", "::", "127.0.0.2", "::1", "224.0.0.18", "ff02::12",
                        "255.255.255.255", "fe80::1"}) {
    auto r = parse_vip(s);
    ASSERT_FALSE(r) << s;
    EXPECT_NE(r.error().message.find(std::string("'") + s + "'"), std::string::npos) << s;
  }
}

TEST(RealserverSplitVipWords, SplitsOnCommasAndWhitespaceAndDropsEmpties) {
  EXPECT_EQ(split_vip_words("203.0.113.1, 203.0.113.2\t2001:db8::1,,"),
            (std::vector<std::string>{"203.0.113.1", "203.0.113.2", "2001:db8::1"}));
  EXPECT_TRUE(split_vip_words("").empty());
  EXPECT_TRUE(split_vip_words("  , ").empty());
}

TEST(RealserverBuildVipList, KeepsFirstSeenOrder) {
  auto r = build_vip_list({{"203.0.113.2", "--vip"}, {"2001:db8::1", "--vip"},
                           {"203.0.113.1", "f:1"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, (std::vector<IpAddress>{ip("203.0.113.2"), ip("2001:db8::1"), ip("203.0.113.1")}));
}

TEST(RealserverBuildVipList, VipGivenTwiceIsAnErrorNamingBothPlaces) {
  auto r = build_vip_list({{"2001:db8::1", "--vip"}, {"2001:DB8:0::1", "conf:4"}});
  ASSERT_FALSE(r);
  const auto& m = r.error().message;
  EXPECT_NE(m.find("VIP 2001:db8::1 is given twice"), std::string::npos) << m;
  EXPECT_NE(m.find("'2001:DB8:0::1' (conf:4)"), std::string::npos) << m;
  EXPECT_NE(m.find("(--vip)"), std::string::npos) << m;
}

TEST(RealserverBuildVipList, DirectorConfigRepeatsAreMerged) {
  auto r = build_vip_list({{"203.0.113.100", "ka:20", true},
                           {"203.0.113.100", "ka:40", true},
                           {"203.0.113.100", "--vip", false}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, std::vector<IpAddress>{ip("203.0.113.100")});
}

TEST(RealserverBuildVipList, ReportsEveryBadVip) {
  auto r = build_vip_list({{"nope", "--vip"}, {"203.0.113.1", "--vip"}, {"1.2.3.4/8", "f:2"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'nope'"), std::string::npos);
  EXPECT_NE(r.error().message.find("'1.2.3.4/8'"), std::string::npos);
  EXPECT_NE(r.error().message.find("(f:2)"), std::string::npos);
}

TEST(RealserverHasIpv4, OnlyIpv4NeedsArpSysctls) {
  EXPECT_FALSE(has_ipv4({ip("2001:db8::1")}));
  EXPECT_TRUE(has_ipv4({ip("2001:db8::1"), ip("203.0.113.1")}));
  EXPECT_FALSE(has_ipv4({}));
}

}  // namespace
}  // namespace lvsctl::realserver
