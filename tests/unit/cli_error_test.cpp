// The one error shape of every lvsctl command: exit codes shared by the roles and, with --json,
// {"error": {"command", "message", "exit_code"}} written by JsonWriter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "realserver/commands.hpp"
#include "shared/cli_error.hpp"

namespace lvsctl::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CliError, JsonShape) {
  const std::string j = error_json("firewall status", "a \"quoted\"\nmessage", kExitNotPrivileged);
  EXPECT_THAT(j, StartsWith("{"));
  EXPECT_THAT(j, HasSubstr("\"error\": {"));
  EXPECT_THAT(j, HasSubstr("\"command\": \"firewall status\""));
  EXPECT_THAT(j, HasSubstr("\"message\": \"a \\\"quoted\\\"\\nmessage\""));
  EXPECT_THAT(j, HasSubstr("\"exit_code\": 4"));
  EXPECT_EQ(j.back(), '\n');
}

TEST(CliError, OneNotPrivilegedCodeInEveryRole) {
  EXPECT_EQ(kExitNotPrivileged, 4);
  EXPECT_EQ(realserver::kExitNoPrivilege, kExitNotPrivileged);
  EXPECT_TRUE(is_privilege_error(Error{"x", EPERM}));
  EXPECT_TRUE(is_privilege_error(Error{"x", EACCES}));
  EXPECT_FALSE(is_privilege_error(Error{"x", ENOENT}));
}

TEST(CliError, JsonWantedBeforeDoubleDashOnly) {
  const char* with[] = {"lvsctl", "firewall", "status", "--json"};
  EXPECT_TRUE(argv_wants_json(4, with));
  const char* after[] = {"lvsctl", "director", "run", "--", "--json"};
  EXPECT_FALSE(argv_wants_json(5, after));
  const char* without[] = {"lvsctl", "director", "status"};
  EXPECT_FALSE(argv_wants_json(3, without));
}

TEST(CliError, CommandWordsSkipOptionsAndTheirValues) {
  const char* argv[] = {"lvsctl", "--log-level", "debug", "firewall", "--json", "status", "--peer", "x"};
  EXPECT_EQ(command_words(8, argv), "firewall status");
  const char* none[] = {"lvsctl", "--json"};
  EXPECT_EQ(command_words(2, none), "lvsctl");
}

}  // namespace
}  // namespace lvsctl::cli
