// plan_start / plan_stop as values: order of steps, saved sysctls, labels, idempotency.
#include <gtest/gtest.h>

#include "realserver/dr_sysctls.hpp"
#include "realserver/plan.hpp"

namespace lvsctl::realserver {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

Observation fresh_kernel(const char* ignore = "0", const char* announce = "0") {
  Observation o;
  for (const auto& s : dr_sysctls()) {
    o.sysctls[s.key] = s.key.ends_with("arp_ignore") ? ignore : announce;
  }
  o.lo.push_back({1, ip("127.0.0.1"), 8, "lo"});
  o.lo.push_back({1, ip("::1"), 128, ""});
  return o;
}

// What the kernel looks like after the steps ran (a tiny fake of Host::apply).
Observation after(Observation o, const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    if (const auto* w = std::get_if<WriteSysctl>(&step)) o.sysctls[w->key] = w->value;
    if (const auto* a = std::get_if<AddVip>(&step)) {
      o.lo.push_back({1, a->address, a->address.host_prefix_len(), a->label});
    }
    if (const auto* r = std::get_if<RemoveVip>(&step)) {
      std::erase_if(o.lo, [&](const auto& e) { return e.address == r->address; });
    }
  }
  return o;
}

std::vector<std::string> described(const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(describe(s));
  return out;
}

TEST(RealserverPlanStart, FirstStartSavesStateThenSysctlsThenVips) {
  const auto plan = plan_start({ip("203.0.113.10"), ip("2001:db8::10")}, std::nullopt,
                               fresh_kernel("0", "1"));
  EXPECT_EQ(described(plan.steps), (std::vector<std::string>{
                                       "save state",
                                       "set net.ipv4.conf.all.arp_ignore = 1",
                                       "set net.ipv4.conf.all.arp_announce = 2",
                                       "set net.ipv4.conf.lo.arp_ignore = 1",
                                       "set net.ipv4.conf.lo.arp_announce = 2",
                                       "add 203.0.113.10/32 to lo as lo:0",
                                       "add 2001:db8::10/128 to lo",
                                   }));
  ASSERT_EQ(plan.state.saved_sysctls.size(), 4u);
  EXPECT_EQ(plan.state.saved("net.ipv4.conf.all.arp_ignore")->value, "0");
  EXPECT_EQ(plan.state.saved("net.ipv4.conf.all.arp_announce")->value, "1");
  ASSERT_EQ(plan.state.vips.size(), 2u);
  EXPECT_EQ(plan.state.vips[0], (HeldVip{ip("203.0.113.10"), "lo:0", true}));
  EXPECT_EQ(plan.state.vips[1], (HeldVip{ip("2001:db8::10"), "", true}));
  ASSERT_TRUE(std::holds_alternative<SaveState>(plan.steps[0]));
  EXPECT_EQ(std::get<SaveState>(plan.steps[0]).state, plan.state);
}

TEST(RealserverPlanStart, SecondStartChangesNothing) {
  const std::vector<IpAddress> vips = {ip("203.0.113.10"), ip("2001:db8::10")};
  const auto first = plan_start(vips, std::nullopt, fresh_kernel());
  const auto second = plan_start(vips, first.state, after(fresh_kernel(), first.steps));
  EXPECT_TRUE(second.steps.empty()) << described(second.steps).front();
  EXPECT_EQ(second.state, first.state);
}

TEST(RealserverPlanStart, KeepsTheValuesSavedByTheFirstStart) {
  const std::vector<IpAddress> vips = {ip("203.0.113.10")};
  const auto first = plan_start(vips, std::nullopt, fresh_kernel("0", "0"));
  // Someone set arp_ignore back to 0 by hand: start fixes it but keeps the first saved values.
  auto drifted = after(fresh_kernel(), first.steps);
  drifted.sysctls["net.ipv4.conf.all.arp_ignore"] = "0";
  const auto again = plan_start(vips, first.state, drifted);
  EXPECT_EQ(described(again.steps),
            std::vector<std::string>{"set net.ipv4.conf.all.arp_ignore = 1"});
  EXPECT_EQ(again.state.saved_sysctls, first.state.saved_sysctls);
}

TEST(RealserverPlanStart, SysctlsAlreadyRightAreSavedButNotWritten) {
  const auto plan = plan_start({ip("203.0.113.10")}, std::nullopt, fresh_kernel("1", "2"));
  EXPECT_EQ(described(plan.steps), (std::vector<std::string>{"save state",
                                                             "add 203.0.113.10/32 to lo as lo:0"}));
  EXPECT_EQ(plan.state.saved("net.ipv4.conf.lo.arp_announce")->value, "2");
}

TEST(RealserverPlanStart, Ipv6OnlyNeedsNoSysctls) {
  const auto plan = plan_start({ip("2001:db8::10")}, std::nullopt, fresh_kernel());
  EXPECT_EQ(described(plan.steps),
            (std::vector<std::string>{"save state", "add 2001:db8::10/128 to lo"}));
  EXPECT_TRUE(plan.state.saved_sysctls.empty());
}

TEST(RealserverPlanStart, VipAlreadyOnLoIsFoundNotAdded) {
  auto kernel = fresh_kernel("1", "2");
  kernel.lo.push_back({1, ip("203.0.113.10"), 32, "lo:web"});
  const auto plan = plan_start({ip("203.0.113.10"), ip("203.0.113.11")}, std::nullopt, kernel);
  EXPECT_EQ(plan.state.vips[0], (HeldVip{ip("203.0.113.10"), "lo:web", false}));
  EXPECT_EQ(plan.state.vips[1], (HeldVip{ip("203.0.113.11"), "lo:0", true}));
  // ...so stop leaves it alone.
  const auto stop = plan_stop(plan.state, after(kernel, plan.steps));
  EXPECT_EQ(described(stop), (std::vector<std::string>{"remove 203.0.113.11/32 from lo",
                                                       "remove state"}));
}

TEST(RealserverPlanStart, LabelsSkipThoseInUse) {
  auto kernel = fresh_kernel();
  kernel.lo.push_back({1, ip("198.51.100.1"), 32, "lo:0"});
  kernel.lo.push_back({1, ip("198.51.100.2"), 32, "lo:2"});
  const auto plan = plan_start({ip("203.0.113.1"), ip("203.0.113.2")}, std::nullopt, kernel);
  EXPECT_EQ(plan.state.vips[0].label, "lo:1");
  EXPECT_EQ(plan.state.vips[1].label, "lo:3");
}

TEST(RealserverPlanStart, ChangedVipListRemovesOnlyOurOldVips) {
  const auto first = plan_start({ip("203.0.113.1"), ip("203.0.113.2")}, std::nullopt, fresh_kernel());
  const auto kernel = after(fresh_kernel(), first.steps);
  const auto second = plan_start({ip("203.0.113.2"), ip("203.0.113.3")}, first.state, kernel);
  EXPECT_EQ(described(second.steps), (std::vector<std::string>{
                                         "save state",
                                         "remove 203.0.113.1/32 from lo",
                                         "add 203.0.113.3/32 to lo as lo:2",
                                     }));
  EXPECT_EQ(second.state.vips.size(), 2u);
  EXPECT_EQ(second.state.saved_sysctls, first.state.saved_sysctls);
}

TEST(RealserverPlanStart, MissingVipOfOursIsAddedBackWithItsLabel) {
  const auto first = plan_start({ip("203.0.113.1"), ip("203.0.113.2")}, std::nullopt, fresh_kernel());
  auto kernel = after(fresh_kernel(), first.steps);
  std::erase_if(kernel.lo, [](const auto& e) { return e.address == ip("203.0.113.1"); });
  const auto again = plan_start({ip("203.0.113.1"), ip("203.0.113.2")}, first.state, kernel);
  EXPECT_EQ(described(again.steps), std::vector<std::string>{"add 203.0.113.1/32 to lo as lo:0"});
}

TEST(RealserverPlanStart, GoingIpv6OnlyGivesTheSysctlsBack) {
  const auto first = plan_start({ip("203.0.113.1")}, std::nullopt, fresh_kernel("0", "0"));
  const auto second = plan_start({ip("2001:db8::1")}, first.state, after(fresh_kernel(), first.steps));
  EXPECT_EQ(described(second.steps), (std::vector<std::string>{
                                         "save state",
                                         "set net.ipv4.conf.all.arp_ignore = 0",
                                         "set net.ipv4.conf.all.arp_announce = 0",
                                         "set net.ipv4.conf.lo.arp_ignore = 0",
                                         "set net.ipv4.conf.lo.arp_announce = 0",
                                         "remove 203.0.113.1/32 from lo",
                                         "add 2001:db8::1/128 to lo",
                                     }));
  EXPECT_TRUE(second.state.saved_sysctls.empty());
}

TEST(RealserverPlanStop, NotStartedIsNoStepsAtAll) {
  EXPECT_TRUE(plan_stop(std::nullopt, fresh_kernel()).empty());
}

TEST(RealserverPlanStop, RemovesVipsFirstThenRestoresExactlyTheSavedValues) {
  const auto start = plan_start({ip("203.0.113.10"), ip("2001:db8::10")}, std::nullopt,
                                fresh_kernel("2", "1"));
  const auto stop = plan_stop(start.state, after(fresh_kernel("2", "1"), start.steps));
  EXPECT_EQ(described(stop), (std::vector<std::string>{
                                 "remove 203.0.113.10/32 from lo",
                                 "remove 2001:db8::10/128 from lo",
                                 "set net.ipv4.conf.all.arp_ignore = 2",
                                 "set net.ipv4.conf.all.arp_announce = 1",
                                 "set net.ipv4.conf.lo.arp_ignore = 2",
                                 "set net.ipv4.conf.lo.arp_announce = 1",
                                 "remove state",
                             }));
  const auto restored = after(after(fresh_kernel("2", "1"), start.steps), stop);
  EXPECT_EQ(restored.sysctls, fresh_kernel("2", "1").sysctls);
  EXPECT_EQ(restored.lo, fresh_kernel().lo);
}

TEST(RealserverPlanStop, VipAlreadyGoneIsNotRemovedAgain) {
  const auto start = plan_start({ip("203.0.113.10")}, std::nullopt, fresh_kernel("1", "2"));
  const auto stop = plan_stop(start.state, fresh_kernel("1", "2"));
  EXPECT_EQ(described(stop), std::vector<std::string>{"remove state"});
}

TEST(RealserverPlanStop, UsesThePrefixFoundOnLo) {
  State s;
  s.vips = {{ip("203.0.113.10"), "lo:0", true}};
  auto kernel = fresh_kernel();
  kernel.lo.push_back({1, ip("203.0.113.10"), 24, "lo:0"});
  const auto stop = plan_stop(s, kernel);
  EXPECT_EQ(described(stop).front(), "remove 203.0.113.10/24 from lo");
}

}  // namespace
}  // namespace lvsctl::realserver
