// The IPVS model values: addresses, keys, settings comparison.
#include <gtest/gtest.h>

#include "director/ipvs/model.hpp"

namespace ipvs = lvsctl::director::ipvs;

TEST(IpvsModel, AddressParsesNumericOnly) {
  auto v4 = ipvs::Address::parse("203.0.113.7");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, ipvs::Family::V4);
  EXPECT_EQ(v4->bytes[0], 203);
  EXPECT_EQ(v4->bytes[4], 0);
  EXPECT_EQ(v4->to_string(), "203.0.113.7");
  auto v6 = ipvs::Address::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, ipvs::Family::V6);
  EXPECT_EQ(v6->to_string(), "2001:db8::1");
  EXPECT_FALSE(ipvs::Address::parse("example.org"));
  EXPECT_FALSE(ipvs::Address::parse("203.0.113.7/24"));
  EXPECT_FALSE(ipvs::Address::parse(""));
}

TEST(IpvsModel, KeysPrintLikeIpvsadm) {
  auto a = *ipvs::Address::parse("203.0.113.100");
  EXPECT_EQ(ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80).to_string(), "TCP 203.0.113.100:80");
  EXPECT_EQ(ipvs::ServiceKey::inet(ipvs::Protocol::Sctp, *ipvs::Address::parse("2001:db8::5"), 9).to_string(),
            "SCTP [2001:db8::5]:9");
  EXPECT_EQ(ipvs::ServiceKey::mark(3).to_string(), "FWM 3");
  EXPECT_EQ(ipvs::ServiceKey::mark(3, ipvs::Family::V6).to_string(), "FWM 3 IPv6");
}

TEST(IpvsModel, KeysCompareByEveryField) {
  auto a = *ipvs::Address::parse("203.0.113.100");
  auto tcp80 = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80);
  EXPECT_EQ(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80));
  EXPECT_NE(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Udp, a, 80));
  EXPECT_NE(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 81));
  EXPECT_NE(ipvs::ServiceKey::mark(1), ipvs::ServiceKey::mark(1, ipvs::Family::V6));
}

TEST(IpvsModel, SettingsIgnoreCountersButNotWeight) {
  ipvs::Destination d;
  d.address = *ipvs::Address::parse("198.51.100.1");
  d.port = 80;
  ipvs::Destination e = d;
  e.active_connections = 9;
  e.counters.in_bytes = 1000;
  EXPECT_TRUE(d.same_settings(e));
  e.weight = 2;
  EXPECT_FALSE(d.same_settings(e));
}

TEST(IpvsModel, NetmaskDefaultsToTheFullMaskOfTheFamily) {
  ipvs::Service s;
  EXPECT_EQ(s.effective_netmask(), 0xffffffffu);
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, *ipvs::Address::parse("2001:db8::1"), 80);
  EXPECT_EQ(s.effective_netmask(), 128u);
}
