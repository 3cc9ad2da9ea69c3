// sorry_server, sorry_server_inhibit and sorry_server_lvs_method in any order keepalived allows.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

ParsedConfig parse(const std::string& lines) {
  conf::MemorySources reader;
  return parse_config("virtual_server 203.0.113.100 80 {\n  lvs_method DR\n  protocol TCP\n" + lines +
                          "  real_server 203.0.113.11 80 {\n  }\n}\n",
                      "test.conf", reader);
}

TEST(SorryServer, LvsMethodAndInhibit) {
  auto p = parse("  sorry_server 203.0.113.13 8080\n  sorry_server_lvs_method NAT\n  sorry_server_inhibit\n");
  ASSERT_FALSE(conf::has_errors(p.diags));
  const auto& ss = p.config.virtual_servers.at(0).sorry_server;
  ASSERT_TRUE(ss.has_value());
  EXPECT_EQ(ss->port, 8080);
  EXPECT_TRUE(ss->inhibit);
  ASSERT_TRUE(ss->method.has_value());
  EXPECT_EQ(*ss->method, ForwardingMethod::Nat);
}

TEST(SorryServer, MethodUnsetMeansTheServiceMethod) {
  auto p = parse("  sorry_server 203.0.113.13 80\n");
  ASSERT_FALSE(conf::has_errors(p.diags));
  EXPECT_FALSE(p.config.virtual_servers.at(0).sorry_server->method.has_value());
}

TEST(SorryServer, LvsMethodBeforeSorryServerIsAnError) {
  auto p = parse("  sorry_server_lvs_method NAT\n  sorry_server 203.0.113.13 80\n");
  ASSERT_TRUE(conf::has_errors(p.diags));
  EXPECT_NE(conf::format(p.diags.at(0)).find("test.conf:4:3: error: 'sorry_server_lvs_method' needs a 'sorry_server' before it"),
            std::string::npos)
      << conf::format(p.diags.at(0));
}

TEST(SorryServer, BadLvsMethod) {
  auto p = parse("  sorry_server 203.0.113.13 80\n  sorry_server_lvs_method FOO\n");
  EXPECT_TRUE(conf::has_errors(p.diags));
}

}  // namespace
}  // namespace lvsctl::director::config
