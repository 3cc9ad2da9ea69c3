// The IPVS model values: keys, settings comparison.
#include <gtest/gtest.h>

#include "director/ipvs/model.hpp"

namespace ipvs = lvsctl::director::ipvs;

TEST(IpvsModel, KeysPrintLikeIpvsadm) {
  auto a = *lvsctl::IpAddress::parse("203.0.113.100");
  EXPECT_EQ(ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80).to_string(), "TCP 203.0.113.100:80");
  EXPECT_EQ(
      ipvs::ServiceKey::inet(ipvs::Protocol::Sctp, *lvsctl::IpAddress::parse("2001:db8::5"), 9)
          .to_string(),
      "SCTP [2001:db8::5]:9");
  EXPECT_EQ(ipvs::ServiceKey::mark(3).to_string(), "FWM 3");
  EXPECT_EQ(ipvs::ServiceKey::mark(3, lvsctl::AddressFamily::V6).to_string(), "FWM 3 IPv6");
}

TEST(IpvsModel, KeysCompareByEveryField) {
  auto a = *lvsctl::IpAddress::parse("203.0.113.100");
  auto tcp80 = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80);
  EXPECT_EQ(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 80));
  EXPECT_NE(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Udp, a, 80));
  EXPECT_NE(tcp80, ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, a, 81));
  EXPECT_NE(ipvs::ServiceKey::mark(1), ipvs::ServiceKey::mark(1, lvsctl::AddressFamily::V6));
}

TEST(IpvsModel, SettingsIgnoreCountersButNotWeight) {
  ipvs::Destination d;
  d.address = *lvsctl::IpAddress::parse("198.51.100.1");
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
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, *lvsctl::IpAddress::parse("2001:db8::1"), 80);
  EXPECT_EQ(s.effective_netmask(), 128u);
}
