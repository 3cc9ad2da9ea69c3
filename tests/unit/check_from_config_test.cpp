// Mapping the keepalived.conf model onto the health-check engine's input, using the user's own
// configuration (tests/data/configs/seed-master.conf) and a hand-written one.
#include <gtest/gtest.h>

#include "director/check/from_config.hpp"
#include "director/config/load.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

TEST(CheckFromConfig, SeedMasterTcpChecks) {
  auto parsed = config::load_config_file(std::string(LVSCTL_TESTDATA_DIR) + "/configs/seed-master.conf");
  ASSERT_FALSE(conf::has_errors(parsed.diags));
  CheckPlan plan = check_plan(parsed.config);
  ASSERT_EQ(plan.servers.size(), 6u);  // 3 services x 2 real servers
  ASSERT_EQ(plan.origins.size(), 6u);
  const RealServerConfig& rs = plan.servers[0];
  EXPECT_EQ(to_string(rs.address), "10.0.200.102:10010");
  EXPECT_EQ(rs.weight, 1);
  ASSERT_EQ(rs.checkers.size(), 1u);
  const Checker& c = rs.checkers[0];
  EXPECT_EQ(c.kind, CheckerKind::Tcp);
  EXPECT_EQ(c.connect_timeout, 10s);
  EXPECT_EQ(c.retry, 3u);  // nb_get_retry 3
  EXPECT_EQ(c.delay_before_retry, 3s);
  EXPECT_EQ(c.delay_loop, 6s);
  EXPECT_EQ(to_string(c.connect), "10.0.200.102:10010");  // the real server's, typed
  EXPECT_EQ(plan.origins[5].virtual_server, 2u);
  EXPECT_EQ(plan.origins[5].real_server, 1u);
}

class NoIncludes : public conf::SourceReader {
 public:
  Result<std::string> read(const std::string& path) override { return Error{"no file " + path}; }
  std::vector<std::string> glob(const std::string&) override { return {}; }
};

TEST(CheckFromConfig, HttpSslAndMiscCheckers) {
  const std::string text = R"(
virtual_server 203.0.113.100 443 {
  delay_loop 2
  lvs_method DR
  protocol TCP
  real_server 203.0.113.101 443 {
    weight 3
    SSL_GET {
      url {
        path /health
        status_code 200-299 404
        digest 9b3a0c85a887a256d6939da88aabd8cd
      }
      virtualhost www.example.test
      enable_sni
      connect_timeout 2
    }
    MISC_CHECK {
      misc_path "/bin/check.sh 203.0.113.101"
      misc_timeout 4
      misc_dynamic
    }
  }
}
)";
  NoIncludes reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  ASSERT_FALSE(conf::has_errors(parsed.diags));
  CheckPlan plan = check_plan(parsed.config);
  ASSERT_EQ(plan.servers.size(), 1u);
  const RealServerConfig& rs = plan.servers[0];
  EXPECT_EQ(rs.weight, 3);
  ASSERT_EQ(rs.checkers.size(), 2u);
  const Checker& ssl = rs.checkers[0];
  EXPECT_EQ(ssl.kind, CheckerKind::SslGet);
  const auto& https = std::get<HttpCheck>(ssl.spec);
  EXPECT_TRUE(https.enable_sni);
  EXPECT_EQ(ssl.connect_timeout, 2s);
  EXPECT_EQ(ssl.delay_loop, 2s);
  EXPECT_EQ(ssl.delay_before_retry, 3s);  // HTTP_GET/SSL_GET default
  ASSERT_EQ(https.urls.size(), 1u);
  EXPECT_EQ(https.urls[0].path, "/health");
  ASSERT_TRUE(https.urls[0].digest.has_value());
  EXPECT_EQ(*https.urls[0].digest, "9b3a0c85a887a256d6939da88aabd8cd");
  ASSERT_EQ(https.urls[0].status_codes.size(), 2u);
  EXPECT_EQ(https.urls[0].status_codes[1].low, 404);
  ASSERT_TRUE(https.urls[0].virtualhost.has_value());
  EXPECT_EQ(*https.urls[0].virtualhost, "www.example.test");
  const Checker& misc = rs.checkers[1];
  EXPECT_EQ(misc.kind, CheckerKind::Misc);
  const auto& script = std::get<MiscCheck>(misc.spec);
  EXPECT_EQ(script.path.command, "/bin/check.sh 203.0.113.101");
  EXPECT_EQ(script.timeout, 4s);
  EXPECT_TRUE(script.dynamic);
  EXPECT_EQ(misc.retry, 0u);
}

}  // namespace
}  // namespace lvsctl::director::check
