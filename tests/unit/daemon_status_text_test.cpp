// `director status` from a snapshot: the health verdict a monitoring check uses (exit codes),
// the text with each real server's health and last failure, the JSON's added members.
#include <gtest/gtest.h>

#include "director/daemon/status_report.hpp"
#include "tests/unit/daemon_snapshot_fixture.hpp"

namespace lvsctl::director {
namespace {

DaemonSnapshot healthy() {
  auto s = testing::sample_snapshot();
  s.vrrp[1].state = "BACKUP";
  s.virtual_servers.change([](auto& list) {
    list[0].quorum_up = true;
    list[0].real_servers[1].up = true;
  });
  return s;
}

TEST(Degradation, HealthyHasNone) { EXPECT_FALSE(degradation(healthy()).degraded()); }

TEST(Degradation, EachCauseIsNamed) {
  auto fault = healthy();
  fault.vrrp[0].state = "FAULT";
  ASSERT_EQ(degradation(fault).reasons, std::vector<std::string>{"VRRP instance VI_1 is in FAULT"});
  auto quorum = healthy();
  quorum.virtual_servers.change([](auto& list) { list[0].quorum_up = false; });
  ASSERT_EQ(degradation(quorum).reasons,
            std::vector<std::string>{"virtual server TCP 203.0.113.10:80: quorum lost"});
  auto down = healthy();
  down.virtual_servers.change([](auto& list) { list[0].real_servers[1].up = false; });
  ASSERT_EQ(degradation(down).reasons,
            std::vector<std::string>{"virtual server TCP 203.0.113.10:80: real server "
                                     "198.51.100.3:80 down: connection refused"});
  auto off = healthy();
  off.datapath.available = false;
  off.datapath.unavailable_reason = "no ip_vs module";
  ASSERT_EQ(degradation(off).reasons, std::vector<std::string>{"datapath ipvs off: no ip_vs module"});
}

TEST(StatusText, ShowsHealthAndEachRealServer) {
  const std::string text = status_text(testing::sample_snapshot());
  EXPECT_EQ(text.rfind("Health: DEGRADED (3 problems)\n", 0), 0u) << text;
  EXPECT_NE(text.find("  - VRRP instance VI_6 is in FAULT\n"), std::string::npos);
  EXPECT_NE(text.find("lvsctl 1.2.3 (pid 4242), up 1h 2m, since 2025-12-02T14:00:00Z"), std::string::npos) << text;
  EXPECT_NE(text.find("Last reload: rejected at 2025-12-02T14:50:00Z"), std::string::npos) << text;
  EXPECT_NE(text.find("Virtual server TCP 203.0.113.10:80: quorum LOST\n"), std::string::npos);
  EXPECT_NE(text.find("  -> 198.51.100.2:80 up, weight 1 (TCP_CHECK ok: connected)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  -> 198.51.100.3:80 DOWN, weight 0 (TCP_CHECK failed: connection refused); "
                      "last failure 2025-12-02T15:00:00Z: connection refused\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  -> [2001:db8::5]:8080 up, weight 2 (no health check)\n"), std::string::npos);
  EXPECT_NE(text.find("  track_script chk_nginx: good\n"), std::string::npos);
  EXPECT_EQ(status_text(healthy()).rfind("Health: OK\n", 0), 0u);
}

TEST(StatusAnswerVerdict, TextAndJsonAgree) {
  for (bool bad : {false, true}) {
    const auto s = bad ? testing::sample_snapshot() : healthy();
    const auto text = StatusAnswer::text(s).finish(ipvs::Table{});
    const auto json = StatusAnswer::json(s).finish(ipvs::Table{});
    EXPECT_EQ(status_says_degraded(text, false), bad) << text;
    EXPECT_EQ(status_says_degraded(json, true), bad) << json;
  }
}

TEST(StatusAnswerVerdict, AStringValueCannotFakeTheVerdict) {
  auto s = healthy();
  s.vrrp[0].last_rejection = "\n  \"degraded\": true";
  EXPECT_FALSE(status_says_degraded(StatusAnswer::json(s).finish(ipvs::Table{}), true));
}

TEST(StatusJson, CarriesVersionUptimeHashReloadAndCounters) {
  const auto json = StatusAnswer::json(testing::sample_snapshot()).finish(ipvs::Table{});
  for (const char* member :
       {"\"version\": \"1.2.3\"", "\"uptime_seconds\": 3723", "\"config_hash\": \"00112233445566ff\"",
        "\"last_result\": \"rejected\"", "\"transitions\": 2",
        "\"last_transition\": \"2025-12-02T14:00:04Z\"", "\"checks_failed\": 1",
        "\"last_failure\": {", "\"apply_errors\": 1", "\"status\": \"unknown\""}) {
    EXPECT_NE(json.find(member), std::string::npos) << member << "\n" << json;
  }
}

TEST(StatusRequest, Formats) {
  EXPECT_EQ(status_request_format("status"), StatusFormat::json);
  EXPECT_EQ(status_request_format("status json"), StatusFormat::json);
  EXPECT_EQ(status_request_format("status text"), StatusFormat::text);
  EXPECT_EQ(status_request_format("stats"), std::nullopt);
}

}  // namespace
}  // namespace lvsctl::director
