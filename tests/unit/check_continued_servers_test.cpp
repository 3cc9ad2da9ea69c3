// Which real servers keep their health across a reload: same virtual server, same real server,
// same weight and checks.
#include <gtest/gtest.h>

#include <regex>

#include "director/check/from_config.hpp"
#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::check {
namespace {

const char* const kBase = R"(
virtual_server 203.0.113.100 80 {
  delay_loop 2
  lb_algo rr
  lb_kind DR
  protocol TCP
  real_server 203.0.113.11 80 {
    weight 1
    TCP_CHECK {
      connect_timeout 1
    }
  }
  real_server 203.0.113.12 80 {
    weight 1
    TCP_CHECK {
      connect_timeout 1
    }
  }
}
virtual_server 203.0.113.100 53 {
  lb_algo rr
  lb_kind DR
  protocol UDP
  real_server 203.0.113.11 53 {
    MISC_CHECK {
      misc_path "/bin/true"
    }
  }
}
)";

struct Loaded {
  config::Config config;
  CheckPlan plan;
  std::vector<std::string> keys;
};

Loaded load(const std::string& text) {
  conf::MemorySources reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  Loaded l{std::move(parsed.config), {}, {}};
  l.plan = check_plan(l.config);
  l.keys = virtual_server_keys(l.config);
  return l;
}

std::vector<std::optional<std::size_t>> continued(const std::string& before, const std::string& after) {
  const Loaded a = load(before);
  const Loaded b = load(after);
  return continued_servers(a.keys, a.plan, b.keys, b.plan);
}

using Map = std::vector<std::optional<std::size_t>>;

TEST(ContinuedServers, KeysNameAddressPortAndProtocol) {
  EXPECT_EQ(load(kBase).keys, (std::vector<std::string>{"203.0.113.100:80 TCP", "203.0.113.100:53 UDP"}));
}

TEST(ContinuedServers, UnchangedConfigKeepsEveryServer) {
  EXPECT_EQ(continued(kBase, kBase), (Map{0, 1, 2}));
}

TEST(ContinuedServers, ReorderedServersAreFoundByName) {
  std::string swapped = kBase;
  swapped = std::regex_replace(swapped, std::regex("203\\.0\\.113\\.11 80"), "X");
  swapped = std::regex_replace(swapped, std::regex("203\\.0\\.113\\.12 80"), "203.0.113.11 80");
  swapped = std::regex_replace(swapped, std::regex("X"), "203.0.113.12 80");
  EXPECT_EQ(continued(kBase, swapped), (Map{1, 0, 2}));
}

TEST(ContinuedServers, ChangedCheckOrWeightStartsFresh) {
  std::string timeout = kBase;
  timeout.replace(timeout.find("connect_timeout 1"), 17, "connect_timeout 2");  // rs .11 only
  EXPECT_EQ(continued(kBase, timeout), (Map{std::nullopt, 1, 2}));
  std::string weight = kBase;
  weight.replace(weight.find("weight 1"), 8, "weight 5");
  EXPECT_EQ(continued(kBase, weight), (Map{std::nullopt, 1, 2}));
  // delay_loop at the virtual server level is inherited by both checkers.
  std::string loop = kBase;
  loop.replace(loop.find("delay_loop 2"), 12, "delay_loop 3");
  EXPECT_EQ(continued(kBase, loop), (Map{std::nullopt, std::nullopt, 2}));
}

TEST(ContinuedServers, OtherProtocolIsAnotherVirtualServer) {
  std::string tcp = kBase;
  tcp.replace(tcp.find("protocol UDP"), 12, "protocol TCP");
  EXPECT_EQ(continued(kBase, tcp), (Map{0, 1, std::nullopt}));
}

TEST(ContinuedServers, RemovedAndAddedServers) {
  std::string fewer = kBase;
  const auto at = fewer.find("  real_server 203.0.113.12 80");
  fewer.erase(at, fewer.find("}\n  }\n", at) + 6 - at);
  EXPECT_EQ(continued(kBase, fewer), (Map{0, 2}));
  EXPECT_EQ(continued(fewer, kBase), (Map{0, std::nullopt, 1}));
}

}  // namespace
}  // namespace lvsctl::director::check
