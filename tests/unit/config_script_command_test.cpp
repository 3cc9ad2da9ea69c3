// Script lines in keepalived.conf: stored as the command line keepalived splits (quoted words
// with their escapes decoded once), checked at config time (file:line:col), shell syntax warned.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"
#include "shared/script_command.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::string instance(const std::string& lines) {
  return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n" + lines +
         "    virtual_ipaddress {\n        203.0.113.10\n    }\n}\n";
}

TEST(ConfigScriptCommand, QuotedEscapesAreDecodedOnceThenSplit) {
  auto p = parse(instance(R"(    notify "/x.sh 'a b' \"c d\" e\\ f"
)"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& cmd = p.config.vrrp_instances.at(0).notify.any->command;
  EXPECT_EQ(cmd, R"(/x.sh 'a b' "c d" e\ f)");
  auto argv = split_script_command(cmd);
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (std::vector<std::string>{"/x.sh", "a b", "c d", "e f"}));
}

TEST(ConfigScriptCommand, AnOpenQuoteIsAnErrorAtTheScriptsWord) {
  auto p = parse(instance("    notify_master \"/x.sh 'a b\" root\n"));
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:4:19: error: 'notify_master': '/x.sh 'a b': missing closing ' "
                        "for the quote at character 7"));
  auto s = parse("vrrp_script chk {\n    script /x.sh 'a\n}\n");
  EXPECT_THAT(all(s.diags), HasSubstr("test.conf:2:12: error: 'script':"));
  EXPECT_THAT(all(s.diags), HasSubstr("missing closing '"));
}

TEST(ConfigScriptCommand, ShellSyntaxIsWarnedAbout) {
  auto p = parse(instance("    notify_master \"/x.sh && /tmp/y.sh\"\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:4:19: warning: 'notify_master': '&&' is passed to /x.sh as an "
                        "argument: scripts run without a shell"));
  auto quiet = parse(instance("    notify_master \"/x.sh MASTER 'a b'\"\n"));
  EXPECT_THAT(all(quiet.diags), ::testing::Not(HasSubstr("without a shell")));
}

}  // namespace
}  // namespace lvsctl::director::config
