// keepalived 2.2.7 keywords of issue 14, read with keepalived's syntax and ranges and kept in the
// model: lvs_timeouts and the vrrp_garp_* refresh / lower_prio settings (acted on: no warning),
// lvs_sync_daemon, vrrp_garp_interval / vrrp_gna_interval, check_unicast_src,
// unicast_fault_no_peer, lvs_sync_daemon_interface (not acted on yet). Each: its parse, its
// default, its errors (file:line:col), and for those not acted on the warning that says what is
// ignored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::string global(const std::string& body) { return "global_defs {\n" + body + "}\n"; }

// The instance's body starts on line 7.
std::string instance(const std::string& body, const std::string& before = "") {
  return before +
         "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
         "    virtual_ipaddress {\n        203.0.113.10\n    }\n" +
         body + "}\n";
}

// ---- defaults ------------------------------------------------------------------------------

TEST(ConfigKeptKeywords, DefaultsAreKeepalivedsWhenNothingIsWritten) {
  auto p = parse(instance(""));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& g = p.config.global;
  EXPECT_FALSE(g.lvs_timeouts.has_value());
  EXPECT_FALSE(g.lvs_sync_daemon.has_value());
  EXPECT_EQ(g.vrrp_garp_master_refresh, Duration{0});
  EXPECT_EQ(g.vrrp_garp_master_refresh_repeat, 1U);
  EXPECT_FALSE(g.vrrp_garp_lower_prio_delay.has_value());
  EXPECT_FALSE(g.vrrp_garp_lower_prio_repeat.has_value());
  EXPECT_EQ(g.vrrp_garp_interval, Duration{0});
  EXPECT_EQ(g.vrrp_gna_interval, Duration{0});
  EXPECT_FALSE(g.vrrp_check_unicast_src);
  ASSERT_EQ(p.config.vrrp_instances.size(), 1U);
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.garp_master_refresh, Duration{0});
  EXPECT_EQ(vi.garp_master_refresh_repeat, 1U);
  // lower_prio: the garp_master ones (5 s, 5) as keepalived's global default.
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{seconds(5)});
  EXPECT_EQ(vi.garp_lower_prio_repeat, 5U);
  EXPECT_FALSE(vi.check_unicast_src);
  EXPECT_FALSE(vi.unicast_fault_no_peer);
  EXPECT_TRUE(vi.lvs_sync_daemon_interface.empty());
}

// ---- lvs_timeouts --------------------------------------------------------------------------

TEST(ConfigKeptKeywords, LvsTimeoutsKeepsEachValueInAnyOrder) {
  auto p = parse(global("    lvs_timeouts udp 300 tcp 7200 tcpfin 120\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_TRUE(p.config.global.lvs_timeouts.has_value());
  const auto& t = *p.config.global.lvs_timeouts;
  EXPECT_EQ(t.tcp, Duration{seconds(7200)});
  EXPECT_EQ(t.tcpfin, Duration{seconds(120)});
  EXPECT_EQ(t.udp, Duration{seconds(300)});
  // Acted on (daemon/ipvs_sync): no warning any more.
  EXPECT_THAT(all(p.diags), Not(HasSubstr("lvs_timeouts")));
}

TEST(ConfigKeptKeywords, LvsTimeoutsOneOptionLeavesTheOthersUnset) {
  auto p = parse(global("    lvs_timeouts tcp 0\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& t = *p.config.global.lvs_timeouts;
  EXPECT_EQ(t.tcp, Duration{0});
  EXPECT_FALSE(t.tcpfin.has_value());
  EXPECT_FALSE(t.udp.has_value());
}

TEST(ConfigKeptKeywords, LvsTimeoutsAcceptsThirtyOneDaysAndNotOneSecondMore) {
  auto ok = parse(global("    lvs_timeouts udp 2678400\n"));
  EXPECT_FALSE(conf::has_errors(ok.diags)) << all(ok.diags);
  auto bad = parse(global("    lvs_timeouts udp 2678401\n"));
  EXPECT_TRUE(conf::has_errors(bad.diags));
  EXPECT_THAT(all(bad.diags), HasSubstr("test.conf:2:22: error:"));
  EXPECT_FALSE(bad.config.global.lvs_timeouts.has_value());
}

TEST(ConfigKeptKeywords, LvsTimeoutsErrorsPointAtTheBadWord) {
  auto none = parse(global("    lvs_timeouts\n"));
  EXPECT_THAT(all(none.diags), HasSubstr("test.conf:2:5: error: 'lvs_timeouts' needs at least"));
  auto unknown = parse(global("    lvs_timeouts tcp 10 sctp 5\n"));
  EXPECT_THAT(all(unknown.diags), HasSubstr("test.conf:2:25: error:"));
  auto missing = parse(global("    lvs_timeouts tcp 10 udp\n"));
  EXPECT_THAT(all(missing.diags),
              HasSubstr("test.conf:2:25: error: 'lvs_timeouts udp' needs a value in seconds"));
  auto word = parse(global("    lvs_timeouts tcp ten\n"));
  EXPECT_THAT(all(word.diags), HasSubstr("test.conf:2:22: error:"));
  EXPECT_FALSE(word.config.global.lvs_timeouts.has_value());
}

// ---- lvs_sync_daemon -----------------------------------------------------------------------

TEST(ConfigKeptKeywords, LvsSyncDaemonKeepsEveryOption) {
  auto p =
      parse(global("    lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8848 ttl 2 "
                   "group 239.0.0.81\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_TRUE(p.config.global.lvs_sync_daemon.has_value());
  const auto& d = *p.config.global.lvs_sync_daemon;
  EXPECT_EQ(d.interface, "eth1");
  EXPECT_EQ(d.instance, "VI_1");
  EXPECT_EQ(d.sync_id, 7U);
  EXPECT_EQ(d.maxlen, 1400U);
  EXPECT_EQ(d.port, 8848U);
  EXPECT_EQ(d.ttl, 2U);
  ASSERT_TRUE(d.group.has_value());
  EXPECT_EQ(d.group->to_string(), "239.0.0.81");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:5: warning: 'lvs_sync_daemon' in global_defs "
                                      "is ignored: lvsctl does not run the IPVS connection sync"));
}

TEST(ConfigKeptKeywords, LvsSyncDaemonDefaultsLeaveTheNumbersUnset) {
  auto p = parse(global("    lvs_sync_daemon eth1 VI_1\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& d = *p.config.global.lvs_sync_daemon;
  EXPECT_EQ(d.instance, "VI_1");
  EXPECT_FALSE(d.sync_id.has_value());
  EXPECT_FALSE(d.maxlen.has_value());
  EXPECT_FALSE(d.port.has_value());
  EXPECT_FALSE(d.ttl.has_value());
  EXPECT_FALSE(d.group.has_value());
}

TEST(ConfigKeptKeywords, LvsSyncDaemonOldPositionalSyncIdIsReadWithAWarning) {
  auto p = parse(global("    lvs_sync_daemon eth1 VI_1 9\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.global.lvs_sync_daemon->sync_id, 9U);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:31: warning: write 'id 9'"));
}

TEST(ConfigKeptKeywords, LvsSyncDaemonSecondOneIsIgnoredAsKeepalivedDoes) {
  auto p = parse(global("    lvs_sync_daemon eth1 VI_1\n    lvs_sync_daemon eth2 VI_2\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.global.lvs_sync_daemon->interface, "eth1");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:3:5: warning: 'lvs_sync_daemon' is already set"));
}

TEST(ConfigKeptKeywords, LvsSyncDaemonErrorsPointAtTheBadWord) {
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon\n")).diags),
              HasSubstr("test.conf:2:5: error: 'lvs_sync_daemon' needs an interface"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon abcdefghijklmnop VI_1\n")).diags),
              HasSubstr("test.conf:2:21: error: 'lvs_sync_daemon' interface name"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 id 256\n")).diags),
              HasSubstr("test.conf:2:34: error:"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 maxlen 65508\n")).diags),
              HasSubstr("test.conf:2:38: error:"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 port 0\n")).diags),
              HasSubstr("test.conf:2:36: error:"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 ttl 0\n")).diags),
              HasSubstr("test.conf:2:35: error:"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 group 192.0.2.1\n")).diags),
              HasSubstr("test.conf:2:37: error: 'lvs_sync_daemon group' value '192.0.2.1' is "
                        "not a multicast address"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 ttl\n")).diags),
              HasSubstr("test.conf:2:31: error: 'lvs_sync_daemon ttl' needs a value"));
  EXPECT_THAT(all(parse(global("    lvs_sync_daemon eth1 VI_1 9 bogus\n")).diags),
              HasSubstr("test.conf:2:33: error: unknown lvs_sync_daemon option 'bogus'"));
  auto bad = parse(global("    lvs_sync_daemon eth1 VI_1 port 0\n"));
  EXPECT_FALSE(bad.config.global.lvs_sync_daemon.has_value());
}

// ---- vrrp_garp_* and vrrp_check_unicast_src in global_defs ---------------------------------

TEST(ConfigKeptKeywords, GlobalGarpSettingsAreKeptAndReachTheInstances) {
  auto p = parse(instance("", global("    vrrp_garp_master_refresh 60\n"
                                     "    vrrp_garp_master_refresh_repeat 2\n"
                                     "    vrrp_garp_lower_prio_delay 3\n"
                                     "    vrrp_garp_lower_prio_repeat 4\n"
                                     "    vrrp_garp_interval 0.001\n"
                                     "    vrrp_gna_interval 0.000001\n"
                                     "    vrrp_check_unicast_src\n")));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& g = p.config.global;
  EXPECT_EQ(g.vrrp_garp_master_refresh, Duration{seconds(60)});
  EXPECT_EQ(g.vrrp_garp_master_refresh_repeat, 2U);
  EXPECT_EQ(g.vrrp_garp_lower_prio_delay, Duration{seconds(3)});
  EXPECT_EQ(g.vrrp_garp_lower_prio_repeat, 4U);
  EXPECT_EQ(g.vrrp_garp_interval, Duration{std::chrono::milliseconds(1)});
  EXPECT_EQ(g.vrrp_gna_interval, Duration{std::chrono::microseconds(1)});
  EXPECT_TRUE(g.vrrp_check_unicast_src);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.garp_master_refresh, Duration{seconds(60)});
  EXPECT_EQ(vi.garp_master_refresh_repeat, 2U);
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{seconds(3)});
  EXPECT_EQ(vi.garp_lower_prio_repeat, 4U);
  EXPECT_TRUE(vi.check_unicast_src);
  const std::string d = all(p.diags);
  for (const char* kw : {"vrrp_garp_interval", "vrrp_gna_interval", "vrrp_check_unicast_src"}) {
    EXPECT_THAT(d, HasSubstr(std::string("warning: '") + kw + "' in global_defs is ignored: "))
        << kw;
  }
  // Acted on (vrrp/state_machine): no warning.
  for (const char* kw : {"vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat",
                         "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat"}) {
    EXPECT_THAT(d, Not(HasSubstr(std::string("'") + kw + "' in global_defs is ignored"))) << kw;
  }
}

TEST(ConfigKeptKeywords, LowerPrioDefaultsFollowTheGlobalGarpMasterValues) {
  auto p = parse(instance("", global("    vrrp_garp_master_delay 7\n"
                                     "    vrrp_garp_master_repeat 3\n")));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{seconds(7)});
  EXPECT_EQ(vi.garp_lower_prio_repeat, 3U);
}

TEST(ConfigKeptKeywords, GlobalRefreshRepeatZeroBecomesOneWithAWarning) {
  auto p = parse(global("    vrrp_garp_master_refresh_repeat 0\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.global.vrrp_garp_master_refresh_repeat, 1U);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:37: warning: 'vrrp_garp_master_refresh_repeat' "
                                      "must be greater than 0"));
}

TEST(ConfigKeptKeywords, GlobalGarpRangesAreKeepalivieds) {
  EXPECT_THAT(all(parse(global("    vrrp_garp_lower_prio_delay 4295\n")).diags),
              HasSubstr("test.conf:2:32: error:"));
  EXPECT_FALSE(conf::has_errors(parse(global("    vrrp_garp_lower_prio_delay 4294\n")).diags));
  EXPECT_THAT(all(parse(global("    vrrp_garp_lower_prio_repeat 2147483648\n")).diags),
              HasSubstr("test.conf:2:33: error:"));
  EXPECT_THAT(all(parse(global("    vrrp_garp_master_refresh 4294967296\n")).diags),
              HasSubstr("test.conf:2:30: error:"));
  EXPECT_THAT(all(parse(global("    vrrp_garp_master_refresh -1\n")).diags),
              HasSubstr("test.conf:2:30: error:"));
  EXPECT_THAT(all(parse(global("    vrrp_garp_interval 0\n")).diags),
              HasSubstr("test.conf:2:24: error:"));
  EXPECT_THAT(all(parse(global("    vrrp_gna_interval x\n")).diags),
              HasSubstr("test.conf:2:23: error:"));
  EXPECT_THAT(all(parse(global("    vrrp_check_unicast_src yes\n")).diags),
              HasSubstr("test.conf:2:"));
  EXPECT_TRUE(conf::has_errors(parse(global("    vrrp_check_unicast_src yes\n")).diags));
  EXPECT_TRUE(conf::has_errors(parse(global("    vrrp_garp_master_refresh\n")).diags));
}

// ---- in vrrp_instance ----------------------------------------------------------------------

TEST(ConfigKeptKeywords, InstanceGarpSettingsOverrideTheGlobalOnes) {
  auto p =
      parse(instance("    garp_master_refresh 30\n"
                     "    garp_master_refresh_repeat 3\n"
                     "    garp_lower_prio_delay 0\n"
                     "    garp_lower_prio_repeat 0\n",
                     global("    vrrp_garp_master_refresh 60\n"
                            "    vrrp_garp_lower_prio_delay 3\n"
                            "    vrrp_garp_lower_prio_repeat 4\n")));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.garp_master_refresh, Duration{seconds(30)});
  EXPECT_EQ(vi.garp_master_refresh_repeat, 3U);
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{0});
  EXPECT_EQ(vi.garp_lower_prio_repeat, 0U);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("is ignored")));  // all four acted on
}

TEST(ConfigKeptKeywords, UnderVrrpStrictLowerPrioDefaultsAreZero) {
  auto p = parse(instance("    no_accept\n", global("    vrrp_strict\n")));
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{0});
  EXPECT_EQ(vi.garp_lower_prio_repeat, 0U);
}

TEST(ConfigKeptKeywords, InstanceGarpErrorsPointAtTheValue) {
  EXPECT_THAT(all(parse(instance("    garp_lower_prio_delay 4295\n")).diags),
              HasSubstr("test.conf:7:27: error:"));
  EXPECT_THAT(all(parse(instance("    garp_lower_prio_repeat x\n")).diags),
              HasSubstr("test.conf:7:28: error:"));
  EXPECT_THAT(all(parse(instance("    garp_master_refresh 1.5\n")).diags),
              HasSubstr("test.conf:7:25: error:"));
  auto zero = parse(instance("    garp_master_refresh_repeat 0\n"));
  EXPECT_FALSE(conf::has_errors(zero.diags)) << all(zero.diags);
  EXPECT_EQ(zero.config.vrrp_instances.at(0).garp_master_refresh_repeat, 1U);
}

TEST(ConfigKeptKeywords, CheckUnicastSrcIsKeptWithAWarning) {
  auto p = parse(instance("    check_unicast_src\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).check_unicast_src);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:5: warning: 'check_unicast_src' in "
                                      "vrrp_instance is ignored: adverts are not checked"));
  EXPECT_TRUE(conf::has_errors(parse(instance("    check_unicast_src 1\n")).diags));
}

TEST(ConfigKeptKeywords, UnicastFaultNoPeerWithPeersIsKeptWithAWarning) {
  auto p =
      parse(instance("    unicast_src_ip 192.0.2.1\n    unicast_peer {\n        192.0.2.2\n"
                     "    }\n    unicast_fault_no_peer\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).unicast_fault_no_peer);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:11:5: warning: 'unicast_fault_no_peer' in "
                                      "vrrp_instance: read and kept"));
}

TEST(ConfigKeptKeywords, UnicastFaultNoPeerWithoutPeersIsAnError) {
  // keepalived keeps such an instance in FAULT: running it would change who holds the VIP.
  auto p = parse(instance("    unicast_fault_no_peer\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:5: error: not supported yet: "
                                      "unicast_fault_no_peer (in vrrp_instance) without a "
                                      "unicast_peer"));
  EXPECT_TRUE(conf::has_errors(parse(instance("    unicast_fault_no_peer x\n")).diags));
}

TEST(ConfigKeptKeywords, LvsSyncDaemonInterfaceIsKeptAndCalledDeprecated) {
  auto p = parse(instance("    lvs_sync_daemon_interface eth1\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances.at(0).lvs_sync_daemon_interface, "eth1");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:5: warning: 'lvs_sync_daemon_interface' in a "
                                      "vrrp_instance is deprecated"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:5: warning: 'lvs_sync_daemon_interface' in "
                                      "vrrp_instance is ignored: lvsctl does not run"));
  EXPECT_TRUE(conf::has_errors(parse(instance("    lvs_sync_daemon_interface\n")).diags));
  EXPECT_THAT(all(parse(instance("    lvs_sync_daemon_interface\n")).diags),
              Not(HasSubstr("is ignored")));
}

}  // namespace
}  // namespace lvsctl::director::config
