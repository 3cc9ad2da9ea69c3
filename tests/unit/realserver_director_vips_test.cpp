// --from-director-config: the VIPs of the DR and TUN virtual servers of a keepalived.conf.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "realserver/director_vips.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::realserver {
namespace {

director::config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return director::config::parse_config(text, "keepalived.conf", files);
}

std::vector<std::string> texts(const std::vector<VipSpec>& specs) {
  std::vector<std::string> out;
  for (const auto& s : specs) out.push_back(s.text + " @" + s.origin);
  return out;
}

std::string errors_of(const director::config::ParsedConfig& p) {
  std::string out;
  for (const auto& d : p.diags) out += conf::format(d) + "\n";
  return out;
}

TEST(RealserverDirectorVips, SeedConfigGivesItsOneVipOnce) {
  const std::string path = std::string(LVSCTL_TESTDATA_DIR) + "/configs/seed-master.conf";
  auto specs = director_vips(path);
  ASSERT_TRUE(specs) << specs.error().message;
  ASSERT_EQ(specs->size(), 3u);  // three DR virtual servers, ports 10010/10020/10030
  EXPECT_EQ((*specs)[0].origin, path + ":23");
  auto vips = build_vip_list(*specs);
  ASSERT_TRUE(vips) << vips.error().message;
  EXPECT_EQ(*vips, std::vector<IpAddress>{*IpAddress::parse("10.0.200.100")});
}

TEST(RealserverDirectorVips, OnlyDrAndTunServersAndGroupAddresses) {
  const auto p = parse(R"(
virtual_server_group web {
  203.0.113.20-22 80
  2001:db8::20 80
}
virtual_server 203.0.113.1 80 {
  lb_kind NAT
  protocol TCP
  real_server 198.51.100.1 80 {
  }
}
virtual_server 203.0.113.2 80 {
  lb_kind DR
  protocol TCP
  real_server 198.51.100.1 80 {
  }
}
virtual_server 2001:db8::3 443 {
  lb_kind TUN
  protocol TCP
  real_server 2001:db8:1::1 443 {
  }
}
virtual_server group web {
  lb_kind DR
  protocol TCP
  real_server 198.51.100.1 80 {
  }
}
virtual_server fwmark 7 {
  lb_kind DR
  real_server 198.51.100.1 80 {
  }
}
)");
  ASSERT_FALSE(conf::has_errors(p.diags)) << errors_of(p);
  const auto vips = vips_of_config(p.config);
  ASSERT_TRUE(vips) << vips.error().message;
  EXPECT_EQ(texts(vips->specs), (std::vector<std::string>{
                                    "203.0.113.2 @keepalived.conf:12",
                                    "2001:db8::3 @keepalived.conf:18",
                                    "203.0.113.20 @keepalived.conf:3",
                                    "203.0.113.21 @keepalived.conf:3",
                                    "203.0.113.22 @keepalived.conf:3",
                                    "2001:db8::20 @keepalived.conf:4",
                                }));
  for (const auto& s : vips->specs) EXPECT_TRUE(s.may_repeat);
  ASSERT_EQ(vips->notes.size(), 1u);
  EXPECT_NE(vips->notes[0].find("fwmark 7"), std::string::npos) << vips->notes[0];
}

TEST(RealserverDirectorVips, TooWideGroupRangeIsAnError) {
  const auto p = parse(R"(
virtual_server_group big {
  203.0.113.0/23 80
}
virtual_server group big {
  lb_kind DR
  protocol TCP
  real_server 198.51.100.1 80 {
  }
}
)");
  if (conf::has_errors(p.diags)) GTEST_SKIP() << "the config loader rejects this range: " << errors_of(p);
  const auto vips = vips_of_config(p.config);
  ASSERT_FALSE(vips);
  EXPECT_NE(vips.error().message.find("more than 256 addresses"), std::string::npos)
      << vips.error().message;
  EXPECT_NE(vips.error().message.find("keepalived.conf:3"), std::string::npos);
}

TEST(RealserverDirectorVips, ConfigErrorsAreReportedWithPlace) {
  const std::string path = "/nonexistent/keepalived.conf";
  const auto specs = director_vips(path);
  ASSERT_FALSE(specs);
  EXPECT_NE(specs.error().message.find(path), std::string::npos) << specs.error().message;
}

}  // namespace
}  // namespace lvsctl::realserver
