// Who may read status: the control socket's group choice, the run dir's mode, and the
// `--metrics-listen` / `metrics_listen` address.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "director/config/listen_endpoint.hpp"
#include "director/daemon/control_access.hpp"

namespace lvsctl::director {
namespace {

std::optional<gid_t> groups(const std::string& name) {
  if (name == "lvsctl") return 990;
  if (name == "monitoring") return 991;
  return std::nullopt;
}
std::optional<gid_t> no_groups(const std::string&) { return std::nullopt; }

TEST(ControlGroup, DefaultIsLvsctlWhenItExists) {
  EXPECT_EQ(*choose_control_group(std::nullopt, std::nullopt, groups), std::optional<gid_t>(990));
  EXPECT_EQ(*choose_control_group(std::nullopt, std::nullopt, no_groups), std::nullopt);
}

TEST(ControlGroup, OptionWinsOverKeyword) {
  EXPECT_EQ(*choose_control_group("monitoring", "lvsctl", groups), std::optional<gid_t>(991));
  EXPECT_EQ(*choose_control_group(std::nullopt, "monitoring", groups), std::optional<gid_t>(991));
  EXPECT_EQ(*choose_control_group("none", "monitoring", groups), std::nullopt);
  EXPECT_EQ(*choose_control_group(std::nullopt, "none", groups), std::nullopt);
}

TEST(ControlGroup, ANumberIsAGid) {
  EXPECT_EQ(*choose_control_group("64123", std::nullopt, no_groups), std::optional<gid_t>(64123));
}

TEST(ControlGroup, ANamedGroupMustExist) {
  auto missing = choose_control_group("nosuch", std::nullopt, groups);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("'nosuch' does not exist (--control-group)"), std::string::npos);
  EXPECT_FALSE(choose_control_group("", std::nullopt, groups));
}

TEST(ControlGroup, RunDirGetsGroupSearchNeverWrite) {
  EXPECT_EQ(run_dir_mode_for_group(S_IFDIR | 0700), 0710u);
  EXPECT_EQ(run_dir_mode_for_group(S_IFDIR | 0755), 0755u);
  EXPECT_EQ(run_dir_mode_for_group(S_IFDIR | 0777), 0755u);
}

TEST(ListenEndpoint, ParsesV4AndBracketedV6) {
  auto v4 = config::parse_listen_endpoint("127.0.0.1:9650");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:9650");
  auto v6 = config::parse_listen_endpoint("[2001:db8::1]:80");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->to_string(), "[2001:db8::1]:80");
}

TEST(ListenEndpoint, BadValuesNamed) {
  for (const char* bad : {"", "9650", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:9x", "::1:80", "[::1]80", "host:80", "[::1:80"}) {
    auto parsed = config::parse_listen_endpoint(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find(std::string("'") + bad + "'"), std::string::npos)
        << parsed.error().message;
  }
}

}  // namespace
}  // namespace lvsctl::director
