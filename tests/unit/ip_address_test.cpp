// IpAddress, the one address value of every role: parsing, bytes, canonical text (RFC 5952),
// ordering and classification.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <string>

#include "shared/ip_address.hpp"

namespace lvsctl {
namespace {

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

TEST(IpAddress, ParsesBothFamilies) {
  const auto v4 = ip("203.0.113.7");
  EXPECT_TRUE(v4.is_v4());
  EXPECT_FALSE(v4.is_v6());
  EXPECT_EQ(v4.family(), AddressFamily::V4);
  EXPECT_EQ(v4.af(), AF_INET);
  EXPECT_EQ(v4.to_string(), "203.0.113.7");
  EXPECT_EQ(v4.v4_host_order(), 0xcb007107U);
  EXPECT_EQ(v4.host_prefix_len(), 32);
  const auto v6 = ip("2001:DB8:0:0::10");
  EXPECT_TRUE(v6.is_v6());
  EXPECT_EQ(v6.family(), AddressFamily::V6);
  EXPECT_EQ(v6.af(), AF_INET6);
  EXPECT_EQ(v6.to_string(), "2001:db8::10");
  EXPECT_EQ(v6.v4_host_order(), 0U);
  EXPECT_EQ(v6.host_prefix_len(), 128);
  EXPECT_EQ(ip("::ffff:192.0.2.1").to_string(), "::ffff:192.0.2.1");
}

TEST(IpAddress, ParsesNumericTextOnly) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "203.0.113.256", "example.org", "1.2.3.4/24",
        "2001:db8::/64", "::g", " 1.2.3.4", "1.2.3.4 ", "fe80::1%eth0", "[2001:db8::1]",
        "1.2.3.4:80", "2001:db8::1::2", "1:2:3:4:5:6:7:8:9"}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
  EXPECT_FALSE(IpAddress::parse(std::string_view("1.2.3.4\0:", 9)));  // embedded NUL
  EXPECT_FALSE(IpAddress::parse(std::string(46, '1')));               // longer than any address
  // The longest valid text (45 characters) still parses.
  EXPECT_TRUE(IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"));
}

TEST(IpAddress, BytesAreNetworkOrderAndRoundTrip) {
  const auto v4 = ip("203.0.113.7");
  ASSERT_EQ(v4.bytes().size(), 4U);
  EXPECT_EQ(v4.bytes()[0], 203);
  EXPECT_EQ(v4.bytes()[3], 7);
  EXPECT_EQ(*IpAddress::from_bytes(v4.bytes()), v4);
  const auto v6 = ip("2001:db8::1");
  ASSERT_EQ(v6.bytes().size(), 16U);
  EXPECT_EQ(v6.bytes()[0], 0x20);
  EXPECT_EQ(v6.bytes()[15], 1);
  EXPECT_EQ(*IpAddress::from_bytes(v6.bytes()), v6);
  const std::uint8_t three[3] = {1, 2, 3};
  EXPECT_FALSE(IpAddress::from_bytes(three));
  EXPECT_FALSE(IpAddress::from_bytes({}));
  EXPECT_EQ(IpAddress::v4(0xe0000012), ip("224.0.0.18"));
  EXPECT_EQ(IpAddress(), ip("0.0.0.0"));
  EXPECT_EQ(IpAddress::unspecified(AddressFamily::V4), ip("0.0.0.0"));
  EXPECT_EQ(IpAddress::unspecified(AddressFamily::V6), ip("::"));
}

TEST(IpAddress, FormatsIpv6AsRfc5952) {
  const std::pair<const char*, const char*> cases[] = {
      {"2001:DB8::1", "2001:db8::1"},                              // 4.3: lower case
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},  // 4.1: no leading zeros
      {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},                   // 4.2.1: the longest run as ::
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},            // 4.2.2: never :: for one group
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},                     // 4.2.3: the longest run wins
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},               // 4.2.3: the first of equal runs
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"fe80:0:0:0:0:0:0:1", "fe80::1"},
      {"::ffff:c000:201", "::ffff:192.0.2.1"},  // 5: IPv4-mapped with the dotted quad
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(ip(in).to_string(), out) << in;
}

TEST(IpAddress, OrdersByFamilyThenNumerically) {
  EXPECT_LT(ip("203.0.113.1"), ip("203.0.113.2"));
  EXPECT_LT(ip("9.255.255.255"), ip("10.0.0.0"));  // numeric, not textual
  EXPECT_LT(ip("203.0.113.255"), ip("203.0.114.0"));
  EXPECT_LT(ip("255.255.255.255"), ip("::"));  // every IPv4 before every IPv6
  EXPECT_LT(ip("fe80::2"), ip("fe80::10"));
  EXPECT_LT(ip("2001:db8::ffff"), ip("2001:db8::1:0"));
  EXPECT_EQ(ip("2001:db8::1"), ip("2001:DB8:0::1"));
  EXPECT_NE(ip("0.0.0.0"), ip("::"));
}

TEST(IpAddress, Classifies) {
  EXPECT_TRUE(ip("0.0.0.0").is_unspecified());
  EXPECT_TRUE(ip("::").is_unspecified());
  EXPECT_FALSE(ip("0.0.0.1").is_unspecified());
  EXPECT_TRUE(ip("127.0.0.2").is_loopback());
  EXPECT_TRUE(ip("::1").is_loopback());
  EXPECT_FALSE(ip("::2").is_loopback());
  EXPECT_TRUE(ip("224.0.0.18").is_multicast());
  EXPECT_TRUE(ip("239.255.255.255").is_multicast());
  EXPECT_FALSE(ip("240.0.0.1").is_multicast());
  EXPECT_TRUE(ip("ff02::12").is_multicast());
  EXPECT_TRUE(ip("169.254.1.1").is_link_local());
  EXPECT_TRUE(ip("fe80::1").is_link_local());
  EXPECT_TRUE(ip("febf::1").is_link_local());
  EXPECT_FALSE(ip("fec0::1").is_link_local());
  EXPECT_TRUE(ip("255.255.255.255").is_broadcast());
  EXPECT_FALSE(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").is_broadcast());
}

}  // namespace
}  // namespace lvsctl
