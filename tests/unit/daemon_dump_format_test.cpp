// keepalived's signal dump layouts rendered from a snapshot: keepalived.stats line for line,
// keepalived.data's section and "Name = value" lines, keepalived.json's array of data/stats.
#include <gtest/gtest.h>

#include "director/daemon/dump_format.hpp"
#include "tests/unit/daemon_snapshot_fixture.hpp"

namespace lvsctl::director {
namespace {

TEST(DumpFormat, StatsIsKeepalivedsLayout) {
  const std::string stats = keepalived_stats_dump(testing::sample_snapshot());
  const std::string first =
      "VRRP Instance: VI_1\n"
      "  Advertisements:\n"
      "    Received: 12\n"
      "    Sent: 3600\n"
      "  Became master: 1\n"
      "  Released master: 0\n"
      "  Packet Errors:\n"
      "    Length: 0\n"
      "    TTL: 2\n"
      "    Invalid Type: 0\n"
      "    Advertisement Interval: 0\n"
      "    Address List: 4\n"
      "  Authentication Errors:\n"
      "    Invalid Type: 0\n"
      "    Type Mismatch: 0\n"
      "    Failure: 3\n"
      "  Priority Zero:\n"
      "    Received: 1\n"
      "    Sent: 0\n";
  EXPECT_EQ(stats.substr(0, first.size()), first) << stats;
  EXPECT_NE(stats.find("VRRP Instance: VI_6\n"), std::string::npos);
}

TEST(DumpFormat, DataHasTheVrrpTopologyAndTheRealServers) {
  const std::string data = keepalived_data_dump(testing::sample_snapshot());
  for (const char* line :
       {"------< VRRP Topology >------\n", " VRRP Instance = VI_1\n", "   State = MASTER\n",
        "   Last transition = 1764684004.000000 (Tue Dec  2 14:00:04.000000 2025 UTC)\n",
        "   Virtual Router ID = 51\n", "   Priority = 150\n", "   Effective priority = 140\n",
        "   Advert interval = 1 sec\n", "   Virtual IP (1):\n     203.0.113.10/32\n",
        "   Advert interval = 1000 milli-sec\n", "     chk_nginx GOOD\n",
        "------< LVS Topology >------\n", " Virtual server = TCP 203.0.113.10:80\n",
        "   Real server = 198.51.100.3:80\n     Alive = no\n",
        "     Last failure = connection refused (2025-12-02T15:00:00Z)\n",
        "   Real server = [2001:db8::5]:8080\n"}) {
    EXPECT_NE(data.find(line), std::string::npos) << line << "\n" << data;
  }
}

// keepalived 2.2.7's dump_vrrp / dump_global_data lines (vrrp_data.c, global_data.c), in its
// order and words, for the settings lvsctl has.
TEST(DumpFormat, DataHasKeepalivedsTimerGarpAndFlagLines) {
  DaemonSnapshot s = testing::sample_snapshot();
  s.global.known = true;
  s.global.router_id = "lb1";
  s.global.garp_delay = 3;
  s.global.garp_repeat = 2;
  s.global.garp_refresh = 60;
  s.global.garp_refresh_repeat = 4;
  s.global.garp_interval = 0.001;
  s.global.strict = true;
  VrrpSettingsSnapshot& t = s.vrrp[0].settings;
  t.master_down_timer_us = 3414062;
  t.strict = true;
  t.dont_track_primary = true;
  t.src_ip = "192.0.2.1";
  t.unicast_peers = {"192.0.2.2 min_ttl 0 max_ttl 255"};
  t.check_unicast_src = true;
  t.garp_delay = 3.5;
  t.garp_repeat = 2;
  t.garp_refresh = 60;
  t.garp_refresh_repeat = 4;
  t.garp_lower_prio_delay = 1;
  t.garp_lower_prio_repeat = 6;
  t.accept = false;
  t.nopreempt = true;
  t.preempt_delay = 2.5;
  t.auth_type = "SIMPLE_PASSWORD";
  t.auth_pass = "secret";
  s.vrrp[1].settings.ipv6 = true;
  const std::string data = keepalived_data_dump(s);
  const std::string global =
      "------< Global definitions >------\n"
      " Router ID = lb1\n"
      " Dynamic interfaces = false\n"
      " Default interface = eth0\n"
      " LVS flush = false\n"
      " LVS flush on stop = disabled\n"
      " VRRP IPv4 mcast group = 224.0.0.18\n"
      " VRRP IPv6 mcast group = ff02::12\n"
      " Gratuitous ARP delay = 3\n"
      " Gratuitous ARP repeat = 2\n"
      " Gratuitous ARP refresh timer = 60\n"
      " Gratuitous ARP refresh repeat = 4\n"
      " Gratuitous ARP lower priority delay = 3\n"
      " Gratuitous ARP lower priority repeat = 2\n"
      " Num adverts before down = 3\n"
      " Gratuitous ARP for each secondary VMAC = 0s\n"
      " Send advert after receive lower priority advert = true\n"
      " Send advert after receive higher priority advert = false\n"
      " Gratuitous ARP interval = 0.001000\n"
      " Gratuitous NA interval = 0.000000\n"
      " VRRP default protocol version = 2\n"
      " VRRP check unicast_src = false\n"
      " VRRP skip check advert addresses = false\n"
      " VRRP strict mode = true\n"
      "------< VRRP Topology >------\n";
  EXPECT_NE(data.find(global), std::string::npos) << data;
  const std::string vi1 =
      " VRRP Instance = VI_1\n"
      "   VRRP Version = 2\n"
      "   State = MASTER\n"
      "   Last transition = 1764684004.000000 (Tue Dec  2 14:00:04.000000 2025 UTC)\n"
      "   Master down timer = 3414062 usecs\n"
      "   Interface = eth0\n"
      "   VRRP interface tracking disabled\n"
      "   Enforcing strict VRRP compliance\n"
      "   Using src_ip = 192.0.2.1 (from configuration)\n"
      "   Gratuitous ARP delay = 3\n"
      "   Gratuitous ARP repeat = 2\n"
      "   Gratuitous ARP refresh = 60\n"
      "   Gratuitous ARP refresh repeat = 4\n"
      "   Gratuitous ARP lower priority delay = 1\n"
      "   Gratuitous ARP lower priority repeat = 6\n"
      "   Down timer adverts = 3\n"
      "   Send advert after receive lower priority advert = true\n"
      "   Send advert after receive higher priority advert = false\n"
      "   Virtual Router ID = 51\n"
      "   Priority = 150\n"
      "   Effective priority = 140\n"
      "   Advert interval = 1 sec\n"
      "   Accept = disabled\n"
      "   Preempt = disabled\n"
      "   Preempt delay = 2.5 secs\n"
      "   Promote_secondaries = disabled\n"
      "   Authentication type = SIMPLE_PASSWORD\n"
      "   Password = secret\n"
      "   Virtual IP (1):\n"
      "     203.0.113.10/32\n"
      "   Check unicast src : yes\n"
      "   Unicast Peer :\n"
      "     192.0.2.2 min_ttl 0 max_ttl 255\n"
      "   Tracked scripts :\n";
  EXPECT_NE(data.find(vi1), std::string::npos) << data;
  // VRRPv3 over IPv6, multicast, defaults: no authentication line (keepalived writes "none"
  // for VRRPv2 only), preempt enabled and no delay line.
  for (const char* line : {"   VRRP Version = 3\n   Using Native IPv6\n   State = FAULT\n",
                           "   Accept = enabled\n   Preempt = enabled\n"
                           "   Promote_secondaries = disabled\n   Virtual IP (1):\n"}) {
    EXPECT_NE(data.find(line), std::string::npos) << line << "\n" << data;
  }
}

TEST(DumpFormat, DataWritesTheMulticastGroupAndNoAuthentication) {
  DaemonSnapshot s = testing::sample_snapshot();
  s.vrrp[0].settings.mcast_group = "224.0.0.18";
  const std::string data = keepalived_data_dump(s);
  EXPECT_NE(data.find("   Interface = eth0\n   Multicast address 224.0.0.18\n"
                      "   Gratuitous ARP delay = 5\n"),
            std::string::npos)
      << data;
  EXPECT_NE(data.find("   Promote_secondaries = disabled\n   Authentication type = none\n"),
            std::string::npos)
      << data;
  // Without a loaded configuration there is no global section.
  EXPECT_EQ(data.find("Global definitions"), std::string::npos);
}

TEST(DumpFormat, JsonIsKeepalivedsArray) {
  const std::string json = keepalived_json_dump(testing::sample_snapshot());
  EXPECT_EQ(json.rfind("[\n  {\n    \"data\": {\n      \"iname\": \"VI_1\"", 0), 0u) << json;
  for (const char* member : {"\"state\": 2", "\"state\": 3", "\"advert_sent\": 3600",
                             "\"auth_failure\": 3", "\"last_transition\": 1764684004.000000",
                             "\"lvsctl_status\": {", "\"base_priority\": 150"}) {
    EXPECT_NE(json.find(member), std::string::npos) << member;
  }
}

}  // namespace
}  // namespace lvsctl::director
