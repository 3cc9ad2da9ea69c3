// `director check-config` end to end through run_check_config(): exit codes, stderr diagnostics,
// summary and JSON on stdout, the seed configurations and Debian's sample configurations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "director/check_config_command.hpp"

namespace lvsctl::director {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CheckRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

CheckRun check(const std::string& file, bool json = false, bool example = false) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CheckRun r;
  r.code = run_check_config(file, json, example, out, err);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lvsctl-cc-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

const std::string kSeeds = std::string(LVSCTL_TESTDATA_DIR) + "/configs/";

TEST(CheckConfig, SeedConfigsAreValidWithDeprecationWarnings) {
  for (const char* name : {"seed-master.conf", "seed-backup.conf"}) {
    const CheckRun r = check(kSeeds + name);
    EXPECT_EQ(r.code, 0) << name << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(":35:12: warning: keepalived 2.2.7 does not know 'nb_get_retry' "
                                 "in TCP_CHECK"));
    EXPECT_THAT(r.err, Not(HasSubstr(":44:12:")));  // said once per file
    EXPECT_THAT(r.err, HasSubstr(":25:4: warning: 'lb_algo'/'lb_kind' are the old names"));
    EXPECT_THAT(r.err, Not(HasSubstr(":26:4:")));
    EXPECT_THAT(r.err, Not(HasSubstr("error")));
    EXPECT_THAT(r.out, HasSubstr("VRID 100 on em1"));
    EXPECT_THAT(r.out, HasSubstr("VIPs: 10.0.200.100/32"));
  }
  EXPECT_THAT(check(kSeeds + "seed-master.conf").out, HasSubstr("state MASTER, priority 100"));
  EXPECT_THAT(check(kSeeds + "seed-backup.conf").out, HasSubstr("state BACKUP, priority 50"));
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(CheckConfig, SeedJsonHasOneInstanceAndThreeServicesOfTwoRealServers) {
  const CheckRun r = check(kSeeds + "seed-master.conf", true);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string& j = r.out;
  EXPECT_EQ(occurrences(j, "\"virtual_router_id\": 100"), 1U);
  EXPECT_THAT(j, HasSubstr("\"vrrp_instances\": ["));
  EXPECT_THAT(j, HasSubstr("\"virtual_servers\": ["));
  EXPECT_THAT(j, HasSubstr("\"address\": \"10.0.200.100\",\n          \"prefix\": 32"));
  EXPECT_EQ(occurrences(j, "\"real_servers\": ["), 3U);
  EXPECT_EQ(occurrences(j, "\"type\": \"TCP_CHECK\""), 6U);
  EXPECT_EQ(occurrences(j, "\"connect_timeout\": 10,"), 6U);
  EXPECT_EQ(occurrences(j, "\"retry\": 3,"), 6U);
  EXPECT_EQ(occurrences(j, "\"delay_before_retry\": 3,"), 6U);
  for (const char* port : {"10010", "10020", "10030"}) {
    EXPECT_EQ(occurrences(j, std::string("\"port\": ") + port), 3U) << port;  // VS + 2 RS
  }
  EXPECT_EQ(occurrences(j, "\"lvs_method\": \"DR\""), 9U);
  EXPECT_EQ(occurrences(j, "\"persistence_timeout\": 50"), 3U);
}

TEST(CheckConfig, ExampleClusterIsCleanAndDescribesTheScenario) {
  const CheckRun r = check("", false, true);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("VRID 100 on eth0, state MASTER, priority 100, advert_int 1s"));
  EXPECT_THAT(r.out, HasSubstr("VIPs: 203.0.113.100/32"));
  for (const char* vs : {"203.0.113.100:10010 TCP rr DR, persistence_timeout 50s",
                         "203.0.113.100:10020 TCP rr DR", "203.0.113.100:10030 TCP rr DR"}) {
    EXPECT_THAT(r.out, HasSubstr(vs));
  }
  EXPECT_EQ(occurrences(r.out, "TCP_CHECK"), 6U);
  EXPECT_THAT(r.out, HasSubstr("TCP_CHECK 203.0.113.102:10030 connect_timeout 10s retry 3 "
                               "delay_before_retry 3s"));
}

TEST(CheckConfig, TypoFailsWithPosition) {
  const std::string path = write_temp("typo.conf", R"(virtual_server 203.0.113.1 80 {
    lvs_sched rr
    protocol TCP
    real_servr 203.0.113.2 80 {
    }
}
)");
  const CheckRun r = check(path);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(path + ":4:5: error: unknown keyword 'real_servr' in "
                                      "virtual_server; did you mean 'real_server'?"));
  EXPECT_THAT(r.err, HasSubstr("invalid: "));
  EXPECT_EQ(r.out, "");
}

TEST(CheckConfig, UnreadableFileExits2) {
  const CheckRun r = check("/nonexistent/keepalived.conf");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot read /nonexistent/keepalived.conf"));
}

TEST(CheckConfig, MessyButValidInputStillChecksClean) {
  // CRLF, no-break spaces, a glued comment, `{` without a space, no final newline.
  const std::string text =
      "vrrp_instance VI_1{\r\n"
      "\xc2\xa0\xc2\xa0 state MASTER\r\n"
      "    interface eth0\r\n"
      "    virtual_router_id 100\r\n"
      "    priority 100\r\n"
      "    advert_int 1#seconds\r\n"
      "    virtual_ipaddress\r\n"
      "    {\r\n"
      "        203.0.113.100\r\n"
      "    }\r\n"
      "}";
  const CheckRun r = check(write_temp("messy.conf", text));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("VRID 100 on eth0, state MASTER"));
}

TEST(CheckConfig, UnbalancedBracesFailAtALine) {
  const std::string path = write_temp("braces.conf", "vrrp_instance A {\n  interface eth0\n");
  const CheckRun r = check(path);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(path + ":"));
  EXPECT_THAT(r.err, HasSubstr("error"));
}

// Every sample shipped with Debian's keepalived 2.2.7 (25 files) loads, as keepalived runs each
// of them (issue 14); an error would carry a real position.
TEST(CheckConfig, EveryDebianSampleLoads) {
  const std::filesystem::path dir = "/usr/share/doc/keepalived/samples";
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << dir << " is missing (apt-get install keepalived)";
  }
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("keepalived.conf", 0) != 0) continue;
    std::string path = entry.path().string();
    if (entry.path().extension() == ".gz") {
      const std::string plain = write_temp(entry.path().stem().string(), "");
      ASSERT_EQ(std::system(("gzip -dc '" + path + "' > '" + plain + "'").c_str()), 0);
      path = plain;
    }
    const CheckRun r = check(path);
    ++checked;
    EXPECT_EQ(r.code, 0) << name << " exit " << r.code << "\n" << r.err;
    std::size_t pos = 0;
    while ((pos = r.err.find(": error: ", pos)) != std::string::npos) {
      const std::size_t line_start =
          r.err.rfind('\n', pos) == std::string::npos ? 0 : r.err.rfind('\n', pos) + 1;
      const std::string where = r.err.substr(line_start, pos - line_start);
      // file:LINE:COL with LINE >= 1
      EXPECT_THAT(where, ::testing::MatchesRegex(".*:[1-9][0-9]*:[1-9][0-9]*")) << name;
      pos += 9;
    }
    if (r.code == 1) {
      EXPECT_THAT(r.err, HasSubstr(": error: ")) << name;
    }
  }
  EXPECT_EQ(checked, 25U);
}

// Debian's samples of static and virtual routes, rules and addresses load (issue 14): the rules
// sample's `to 192.168.100./24` is skipped with keepalived's own words, as keepalived skips it.
TEST(CheckConfig, DebianRouteRuleAndStaticSamplesLoad) {
  const std::filesystem::path dir = "/usr/share/doc/keepalived/samples";
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << dir << " is missing (apt-get install keepalived)";
  }
  for (const char* name : {"keepalived.conf.vrrp.routes", "keepalived.conf.vrrp.rules",
                           "keepalived.conf.vrrp.static_ipaddress"}) {
    const CheckRun r = check((dir / name).string());
    EXPECT_EQ(r.code, 0) << name << "\n" << r.err;
    if (std::string(name) == "keepalived.conf.vrrp.rules") {
      EXPECT_THAT(r.err, HasSubstr("Invalid rule to address 192.168.100./24"));
      EXPECT_THAT(r.err, HasSubstr("Invalid rule to address 192.168.200./24"));
    }
  }
}

}  // namespace
}  // namespace lvsctl::director

namespace lvsctl::director {
namespace {

CheckRun check_with_id(const std::string& file, bool json, const std::string& config_id) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CheckRun r;
  r.code = run_check_config(file, json, false, out, err, config_id);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

TEST(CheckConfig, ConfigIdSelectsConditionalLines) {
  const std::string path = write_temp("conditional.conf",
                                      "vrrp_instance VI_1 {\n"
                                      "    interface eth0\n"
                                      "    virtual_router_id 51\n"
                                      "@lb1    priority 150\n"
                                      "@lb2    priority 100\n"
                                      "@^lb1   bogus_keyword\n"
                                      "    virtual_ipaddress {\n"
                                      "        203.0.113.10\n"
                                      "    }\n"
                                      "}\n");
  const CheckRun lb1 = check_with_id(path, true, "lb1");
  EXPECT_EQ(lb1.code, 0) << lb1.err;
  EXPECT_THAT(lb1.out, HasSubstr("\"priority\": 150"));
  const CheckRun lb2 = check_with_id(path, false, "lb2");
  EXPECT_EQ(lb2.code, 1);
  EXPECT_THAT(lb2.err, HasSubstr(path + ":6:9: error: unknown keyword 'bogus_keyword'"));
}

TEST(CheckConfig, JsonOnAnInvalidFilePrintsTheDiagnosticsAsJson) {
  const std::string path = write_temp("invalid-json.conf", "vrrp_instance A {\n  bogus 1\n}\n");
  const CheckRun r = check_with_id(path, true, "");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("\"valid\": false"));
  EXPECT_THAT(r.out, HasSubstr("\"line\": 2,\n      \"column\": 3,\n      \"severity\": \"error\""));
  EXPECT_THAT(r.err, Not(HasSubstr(":2:3: error")));  // not twice
  EXPECT_THAT(r.err, HasSubstr("invalid: 3 errors"));
}

}  // namespace
}  // namespace lvsctl::director
