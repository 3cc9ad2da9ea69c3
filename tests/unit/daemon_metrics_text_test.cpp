// The Prometheus text rendering of a snapshot, against a golden file (tests/data/metrics/).
// LVSCTL_UPDATE_GOLDEN=1 rewrites the golden file from the current rendering (then review the
// diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "director/daemon/metrics_text.hpp"
#include "tests/unit/daemon_snapshot_fixture.hpp"

namespace lvsctl::director {
namespace {

const std::string kGolden = std::string(LVSCTL_TESTDATA_DIR) + "/metrics/sample.prom";

TEST(MetricsText, MatchesTheGoldenFile) {
  const std::string text = render_metrics(testing::sample_snapshot());
  if (std::getenv("LVSCTL_UPDATE_GOLDEN")) {
    std::ofstream(kGolden) << text;
  }
  std::ifstream in(kGolden);
  ASSERT_TRUE(in) << kGolden;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str());
}

TEST(MetricsText, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  const std::string text = render_metrics(testing::sample_snapshot());
  std::istringstream lines(text);
  std::string line;
  std::string family;
  while (std::getline(lines, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      family = line.substr(7, line.find(' ', 7) - 7);
      ASSERT_EQ(family.rfind("lvsctl_", 0), 0u) << line;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) continue;
    ASSERT_FALSE(family.empty()) << line;
    EXPECT_EQ(line.rfind(family, 0), 0u) << line << " outside family " << family;
  }
}

TEST(MetricsText, StateUsesKeepalivedCodes) {
  const std::string text = render_metrics(testing::sample_snapshot());
  EXPECT_NE(text.find("lvsctl_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("lvsctl_vrrp_state{iname=\"VI_6\",intf=\"eth1\",vrid=\"52\"} 3\n"),
            std::string::npos);
}

TEST(MetricsText, HistogramBucketsAreCumulativeAndEndInInf) {
  const std::string text = render_metrics(testing::sample_snapshot());
  const std::string rs = "real_server=\"198.51.100.2:80\"";
  EXPECT_NE(text.find("lvsctl_real_server_check_duration_seconds_bucket{virtual_server=\"TCP "
                      "203.0.113.10:80\"," + rs + ",le=\"0.001\"} 1\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("," + rs + ",le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("," + rs + ",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lvsctl_real_server_check_duration_seconds_count{virtual_server=\"TCP "
                      "203.0.113.10:80\"," + rs + "} 3\n"),
            std::string::npos);
}

TEST(MetricsText, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  auto s = testing::sample_snapshot();
  s.vrrp[0].name = "we\"ird\\";
  const std::string text = render_metrics(s);
  EXPECT_NE(text.find("iname=\"we\\\"ird\\\\\""), std::string::npos);
}

TEST(MetricsText, AnEmptyDaemonStillRendersItsFamilies) {
  DaemonSnapshot empty;
  empty.version = "0";
  empty.datapath.backend = "nftables";
  const std::string text = render_metrics(empty);
  EXPECT_NE(text.find("lvsctl_build_info{version=\"0\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE lvsctl_vrrp_state gauge\n"), std::string::npos);
  EXPECT_NE(text.find("lvsctl_datapath_up{backend=\"nftables\"} 0\n"), std::string::npos);
}

// The endpoint's renderer: the real servers' text is reused while the snapshots carry the same
// list (only the VRRP counters moved), rendered again for another list, and the output is
// render_metrics()' in both cases.
TEST(MetricsRenderer, ReusesTheRealServersTextWhileTheirListIsTheSame) {
  MetricsRenderer renderer;
  auto s = testing::sample_snapshot();
  EXPECT_EQ(renderer.render(s), render_metrics(s));
  EXPECT_EQ(renderer.servers_rendered(), 1u);

  auto later = s;  // shares the list, as HealthMonitor::snapshot() gives it while no check ran
  later.vrrp[0].adverts_sent = 4242;
  const std::string text = renderer.render(later);
  EXPECT_EQ(text, render_metrics(later));
  EXPECT_NE(text.find("lvsctl_vrrp_advert_sent_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} "
                      "4242\n"),
            std::string::npos);
  EXPECT_EQ(renderer.servers_rendered(), 1u) << "the real servers' text was rendered again";
}

TEST(MetricsRenderer, RendersAnotherListAgainNeverServingTheOldText) {
  MetricsRenderer renderer;
  auto s = testing::sample_snapshot();
  const std::string before = renderer.render(s);
  const std::string up = "lvsctl_real_server_up{virtual_server=\"TCP 203.0.113.10:80\","
                         "real_server=\"198.51.100.3:80\"} ";
  ASSERT_NE(before.find(up + "0\n"), std::string::npos) << before;
  auto changed = s;
  changed.virtual_servers.change([](auto& list) { list[0].real_servers[1].up = true; });
  const std::string after = renderer.render(changed);
  EXPECT_EQ(renderer.servers_rendered(), 2u);
  EXPECT_NE(after.find(up + "1\n"), std::string::npos) << after;
  EXPECT_EQ(after, render_metrics(changed));
  // Equal values in another list object: rendered again (identity, not a deep compare).
  auto copy = s;
  copy.virtual_servers = SharedList<VirtualServerSnapshot>(s.virtual_servers.items());
  EXPECT_EQ(renderer.render(copy), before);
  EXPECT_EQ(renderer.servers_rendered(), 3u);
}

}  // namespace
}  // namespace lvsctl::director
