// realserver.conf parsing.
#include <gtest/gtest.h>

#include "realserver/config_file.hpp"

namespace lvsctl::realserver {
namespace {

TEST(RealserverConf, ReadsVipLinesWithCommentsAndBlanks) {
  const auto r = parse_realserver_conf(
      "# VIPs\n\nvip 203.0.113.10   # the web VIP\n  vip 2001:db8::10 2001:db8::11\r\n", "rs.conf");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].text, "203.0.113.10");
  EXPECT_EQ((*r)[0].origin, "rs.conf:3");
  EXPECT_FALSE((*r)[0].may_repeat);
  EXPECT_EQ((*r)[2].text, "2001:db8::11");
  EXPECT_EQ((*r)[2].origin, "rs.conf:4");
}

TEST(RealserverConf, EmptyFileHasNoVips) {
  const auto r = parse_realserver_conf("", "rs.conf");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(RealserverConf, UnknownKeywordsAndBareVipAreErrorsWithFileAndLine) {
  const auto r = parse_realserver_conf("vip 203.0.113.1\nvips 203.0.113.2\nvip\n", "/etc/rs.conf");
  ASSERT_FALSE(r);
  const auto& m = r.error().message;
  EXPECT_NE(m.find("/etc/rs.conf:2: unknown keyword 'vips'"), std::string::npos) << m;
  EXPECT_NE(m.find("/etc/rs.conf:3: 'vip' needs at least one address"), std::string::npos) << m;
}

TEST(RealserverConf, AddressesAreValidatedByTheVipList) {
  const auto specs = parse_realserver_conf("vip 203.0.113.1\nvip 203.0.113.1\n", "rs.conf");
  ASSERT_TRUE(specs);
  const auto vips = build_vip_list(*specs);
  ASSERT_FALSE(vips);
  EXPECT_NE(vips.error().message.find("(rs.conf:1) and '203.0.113.1' (rs.conf:2)"),
            std::string::npos)
      << vips.error().message;
}

}  // namespace
}  // namespace lvsctl::realserver
