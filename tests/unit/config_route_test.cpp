// static_routes / static_rules / static_ipaddress and virtual_routes / virtual_rules, read as
// keepalived 2.2.7 reads them (its messages quoted where lvsctl mirrors a verdict).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "r.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::size_t errors(const conf::Diagnostics& diags) {
  std::size_t n = 0;
  for (const auto& d : diags) n += d.severity == conf::Severity::Error ? 1 : 0;
  return n;
}

ParsedConfig routes(const std::string& lines) {
  return parse("static_routes {\n" + lines + "\n}\n");
}

TEST(ConfigRoute, ViaDevSrcTableMetric) {
  auto p = routes("    src 192.0.2.100 198.51.100.0/24 via 192.0.2.1 dev eth1 table 100 metric 7");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.static_routes.size(), 1U);
  const IpRoute& r = p.config.static_routes[0];
  EXPECT_EQ(r.destination.to_string(), "198.51.100.0/24");
  ASSERT_TRUE(r.src);
  EXPECT_EQ(r.src->to_string(), "192.0.2.100");
  ASSERT_EQ(r.nexthops.size(), 1U);
  EXPECT_EQ(r.nexthops[0].via->to_string(), "192.0.2.1");
  EXPECT_EQ(r.nexthops[0].dev, "eth1");
  EXPECT_EQ(r.table, 100U);
  EXPECT_EQ(r.metric, 7U);
  EXPECT_EQ(r.protocol, 18);  // keepalived installs with proto keepalived
  EXPECT_EQ(r.effective_scope(), 0);  // a gateway: global
  EXPECT_EQ(r.where.line, 2);
}

TEST(ConfigRoute, DevOnlyIsGlobalScopeAsKeepalivedAndDefaultIsZeroPrefix) {
  auto p = routes("    198.51.100.0/25 dev eth0\n    default via 192.0.2.1 table main\n"
                  "    to 203.0.113.0/24 dev eth0 scope host");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.static_routes.size(), 3U);
  EXPECT_EQ(p.config.static_routes[0].effective_scope(), 0);  // keepalived: no scope link
  EXPECT_EQ(p.config.static_routes[1].destination.to_string(), "0.0.0.0/0");
  EXPECT_EQ(p.config.static_routes[1].table, 254U);
  EXPECT_EQ(p.config.static_routes[2].effective_scope(), 254);
}

TEST(ConfigRoute, TypesAndNoInstall) {
  auto p = routes("    blackhole 192.0.2.1/32\n    unreachable 192.0.2.2\n"
                  "    prohibit 192.0.2.3\n    throw 192.0.2.4\n    192.0.2.5 dev eth0 no_install");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.static_routes.size(), 5U);
  EXPECT_EQ(p.config.static_routes[0].type, RouteType::Blackhole);
  EXPECT_EQ(p.config.static_routes[1].type, RouteType::Unreachable);
  EXPECT_EQ(p.config.static_routes[2].type, RouteType::Prohibit);
  EXPECT_EQ(p.config.static_routes[3].type, RouteType::Throw);
  EXPECT_TRUE(p.config.static_routes[4].no_install);
}

TEST(ConfigRoute, GwAndOrAreDeprecatedAsKeepalivedSays) {
  auto p = routes("    192.0.2.0/24 gw 198.51.100.1\n"
                  "    203.0.113.0/24 via 198.51.100.1 dev eth0 or 198.51.100.2");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("\"gw\" for routes is deprecated. Please use \"via\""));
  EXPECT_THAT(all(p.diags), HasSubstr("\"or\" for routes is deprecated. Please use \"nexthop\""));
  const IpRoute& mp = p.config.static_routes[1];
  EXPECT_TRUE(mp.multipath);
  ASSERT_EQ(mp.nexthops.size(), 2U);
  EXPECT_EQ(mp.nexthops[1].via->to_string(), "198.51.100.2");
  EXPECT_EQ(mp.nexthops[1].dev, "eth0");  // `or` shares the route's dev
}

TEST(ConfigRoute, NexthopList) {
  auto p = routes("    192.0.2.0/24 table 6909 nexthop via 198.51.100.1 dev eth0 onlink weight 1 "
                  "nexthop via 198.51.100.2 dev eth1 weight 2");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  const IpRoute& r = p.config.static_routes[0];
  ASSERT_EQ(r.nexthops.size(), 2U);
  EXPECT_TRUE(r.nexthops[0].onlink);
  EXPECT_EQ(r.nexthops[1].weight, 2U);
  EXPECT_EQ(r.nexthops[1].dev, "eth1");
}

TEST(ConfigRoute, ErrorsPointAtTheWord) {
  auto p = routes("    192.0.2.0/24 via 198.51.100.1 mtu 1400");
  ASSERT_EQ(errors(p.diags), 1U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:2:35"));
  EXPECT_THAT(all(p.diags), HasSubstr("not supported yet: route option 'mtu'"));
  p = routes("    192.0.2.0/24 via 198.51.100.1 table blue");
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:2:41: error: route table 'blue'"));
  p = routes("    192.0.2.0/24 via 2001:db8::1");
  EXPECT_THAT(all(p.diags), HasSubstr("not of the destination's family"));
  p = routes("    192.0.2.0/24");
  EXPECT_THAT(all(p.diags), HasSubstr("needs 'via' or 'dev'"));
  p = routes("    192.0.2.0/24 via");
  EXPECT_THAT(all(p.diags), HasSubstr("route option 'via' needs a value"));
  p = routes("    blackhole 192.0.2.0/24 via 198.51.100.1");
  EXPECT_THAT(all(p.diags), HasSubstr("has no gateway"));
  p = routes("    192.0.2.0/24 dev eth0 proto static");
  EXPECT_EQ(errors(p.diags), 0U) << all(p.diags);  // keepalived: unknown, the route skipped
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:2:27: warning: unknown route keyword proto"));
  EXPECT_TRUE(p.config.static_routes.empty());
  p = routes("    192.0.2.0/24 dev eth0 protocol bird\n    192.0.2.0/25 via 198.51.100.1 protocol bird");
  EXPECT_THAT(all(p.diags), HasSubstr("resetting protocol"));
  ASSERT_EQ(p.config.static_routes.size(), 2U);
  EXPECT_EQ(p.config.static_routes[0].protocol, 18);  // with a dev: reset, as keepalived does
  EXPECT_EQ(p.config.static_routes[1].protocol, 12);
}

TEST(ConfigRoute, InvalidDestinationIsSkippedLikeKeepalived) {
  auto p = routes("    192.168.100./24 dev eth0");
  EXPECT_EQ(errors(p.diags), 0U) << all(p.diags);
  EXPECT_TRUE(p.config.static_routes.empty());
  EXPECT_THAT(all(p.diags), HasSubstr("keepalived skips this route line"));
}

TEST(ConfigRule, FromToTablePriorityFwmark) {
  auto p = parse("static_rules {\n    from 192.0.2.0/24 to 198.51.100.0/25 table 7 priority 100 "
                 "fwmark 0x10/0xff iif eth0 oif eth1 tos 4\n}\n");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.static_rules.size(), 1U);
  const IpRule& r = p.config.static_rules[0];
  EXPECT_EQ(r.from->to_string(), "192.0.2.0/24");
  EXPECT_EQ(r.to->to_string(), "198.51.100.0/25");
  EXPECT_EQ(r.table, 7U);
  EXPECT_EQ(r.priority, 100U);
  EXPECT_EQ(r.fwmark, 16U);
  EXPECT_EQ(r.fwmask, 255U);
  EXPECT_EQ(r.iif, "eth0");
  EXPECT_EQ(r.oif, "eth1");
  EXPECT_EQ(r.tos, 4);
  EXPECT_EQ(r.family, AddressFamily::V4);
}

TEST(ConfigRule, MissingPreferenceGetsKeepalivedsNumbersInFileOrder) {
  auto p = parse(
      "static_rules {\n    from 192.0.2.0/24 table 1\n    to 2001:db8::/32 table 2\n}\n"
      "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
      "    virtual_ipaddress {\n        203.0.113.1\n    }\n"
      "    virtual_rules {\n        from 203.0.113.1 lookup 2\n        goto 5 priority 9\n"
      "        blackhole inet6 preference 10\n    }\n}\n");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("Rule has no preference specified - setting to 16384"));
  ASSERT_EQ(p.config.static_rules.size(), 2U);
  EXPECT_EQ(p.config.static_rules[0].priority, 16384U);
  EXPECT_EQ(p.config.static_rules[1].priority, 16384U);  // IPv6 counts apart
  EXPECT_EQ(p.config.static_rules[1].family, AddressFamily::V6);
  const auto& v = p.config.vrrp_instances.at(0).virtual_rules;
  ASSERT_EQ(v.size(), 3U);
  EXPECT_EQ(v[0].priority, 16383U);
  EXPECT_EQ(v[1].action, RuleAction::Goto);
  EXPECT_EQ(v[1].goto_target, 5U);
  EXPECT_EQ(v[2].action, RuleAction::Blackhole);
  EXPECT_EQ(v[2].family, AddressFamily::V6);
}

TEST(ConfigRule, InvalidAddressIsSkippedWithKeepalivedsMessage) {
  // Debian's keepalived.conf.vrrp.rules: keepalived 2.2.7 logs "Invalid rule to address
  // 192.168.100./24" and runs without that rule.
  auto p = parse("static_rules {\n    from 192.0.2.0/24 table 1 priority 5\n"
                 "    to 192.168.100./24 table 1\n}\n");
  EXPECT_EQ(errors(p.diags), 0U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:3:8: warning: Invalid rule to address 192.168.100./24"));
  EXPECT_EQ(p.config.static_rules.size(), 1U);
}

TEST(ConfigRule, Errors) {
  auto p = parse("static_rules {\n    from 192.0.2.0/24 not table 1 priority 1\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:2:23: error: not supported yet: rule option 'not'"));
  p = parse("static_rules {\n    from 192.0.2.0/24 to 2001:db8::/32 priority 1\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("different families"));
  p = parse("static_rules {\n    fwmark 1/x priority 1\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("rule fwmark '1/x'"));
  p = parse("static_rules {\n    from 192.0.2.0/24 priority\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("rule option 'priority' needs a value"));
  // Unknown to keepalived 2.2.7 ("Unknown rule option pref"): the rule is skipped.
  p = parse("static_rules {\n    from 192.0.2.0/24 table 1 pref 5\n    to 192.0.2.0/24 no_install\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("r.conf:2:31: warning: Unknown rule option pref"));
  EXPECT_THAT(all(p.diags), HasSubstr("Unknown rule option no_install"));
  EXPECT_TRUE(p.config.static_rules.empty());
}

TEST(ConfigStatic, AddressesKeepScopeAndDev) {
  auto p = parse("static_ipaddress {\n    192.0.2.16/24 dev eth0 scope link\n"
                 "    198.51.100.17 label eth1:x dev eth1\n}\n");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.static_ipaddress.size(), 2U);
  EXPECT_EQ(p.config.static_ipaddress[0].scope, "link");
  EXPECT_EQ(p.config.static_ipaddress[1].dev, "eth1");
}

TEST(ConfigVirtualRoutes, KeptOnTheInstance) {
  auto p = parse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
                 "    virtual_ipaddress {\n        203.0.113.1\n    }\n"
                 "    virtual_routes {\n        src 203.0.113.1 198.51.100.0/24 via 192.0.2.1\n"
                 "    }\n}\n");
  ASSERT_EQ(errors(p.diags), 0U) << all(p.diags);
  ASSERT_EQ(p.config.vrrp_instances.at(0).virtual_routes.size(), 1U);
}

}  // namespace
}  // namespace lvsctl::director::config
