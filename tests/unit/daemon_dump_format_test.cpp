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
