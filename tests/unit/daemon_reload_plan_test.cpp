// The reload decision as values: which loads are applied, and what each VRRP instance does.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/reload_plan.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& text) {
  conf::MemorySources files;
  auto parsed = config::parse_config(text, "test.conf", files);
  for (const auto& d : parsed.diags) {
    if (d.severity == conf::Severity::Error) ADD_FAILURE() << conf::format(d);
  }
  return parsed.config;
}

// Each VRID gets its own VIP (203.0.113.VRID): two instances may not share one.
std::string instance(const std::string& name, int vrid, int priority,
                     const std::string& ifname = "eth0") {
  const std::string vip = "203.0.113." + std::to_string(vrid);
  return "vrrp_instance " + name + " {\n    interface " + ifname + "\n    virtual_router_id " +
         std::to_string(vrid) + "\n    priority " + std::to_string(priority) +
         "\n    virtual_ipaddress {\n        " + vip + "\n    }\n}\n";
}

TEST(ReloadVerdict, UnchangedFilesAreNotApplied) {
  EXPECT_EQ(reload_verdict(false, false, false), ReloadVerdict::unchanged);
  EXPECT_EQ(reload_verdict(false, true, true), ReloadVerdict::unchanged);
}

TEST(ReloadVerdict, ErrorsOrADatapathRefusalReject) {
  EXPECT_EQ(reload_verdict(true, false, true), ReloadVerdict::rejected);
  EXPECT_EQ(reload_verdict(true, true, false), ReloadVerdict::rejected);
  EXPECT_EQ(reload_verdict(true, true, true), ReloadVerdict::apply);
  EXPECT_STREQ(to_string(ReloadVerdict::apply), "applied");
}

TEST(VrrpReloadPlan, EachInstanceGetsItsOutcome) {
  const auto old_config = parse(instance("same", 1, 100) + instance("prio", 2, 100) +
                                instance("iface", 3, 100) + instance("gone", 4, 100));
  const auto new_config = parse(instance("same", 1, 100) + instance("prio", 2, 150) +
                                instance("iface", 3, 100, "eth1") + instance("fresh", 5, 100));
  const auto plan =
      plan_vrrp_reload(old_config, new_config, {"same", "prio", "iface", "gone"});
  VrrpReloadPlan expected;
  expected.keep = {"same"};
  expected.update = {"prio"};
  expected.restart = {"iface"};
  expected.stop = {"gone"};
  expected.start = {"fresh"};
  EXPECT_EQ(plan, expected);
  EXPECT_TRUE(plan.kept("same"));
  EXPECT_TRUE(plan.kept("prio"));
  EXPECT_FALSE(plan.kept("iface"));
  EXPECT_FALSE(plan.kept("fresh"));
}

TEST(VrrpReloadPlan, AnInstanceWithoutARunnerStartsAgain) {
  // It failed to start at the last load (a socket error): an unchanged config retries it.
  const auto config = parse(instance("a", 1, 100) + instance("b", 2, 100));
  const auto plan = plan_vrrp_reload(config, config, {"a"});
  EXPECT_EQ(plan.keep, std::vector<std::string>{"a"});
  EXPECT_EQ(plan.start, std::vector<std::string>{"b"});
  EXPECT_TRUE(plan.stop.empty());
}

TEST(VrrpReloadPlan, PriorityTo255Restarts) {
  const auto plan = plan_vrrp_reload(parse(instance("a", 1, 100)), parse(instance("a", 1, 255)),
                                     {"a"});
  EXPECT_EQ(plan.restart, std::vector<std::string>{"a"});
}

TEST(VrrpReloadPlan, AnAddedVipUpdatesInPlace) {
  const auto old_config = parse(instance("a", 1, 100));
  const auto new_config = parse(
      "vrrp_instance a {\n    interface eth0\n    virtual_router_id 1\n    priority 100\n"
      "    virtual_ipaddress {\n        203.0.113.1\n        203.0.113.11\n    }\n}\n");
  EXPECT_EQ(plan_vrrp_reload(old_config, new_config, {"a"}).update,
            std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace lvsctl::director
