// IpvsPlan as values: desired vs actual table -> ops.
#include <gtest/gtest.h>

#include <algorithm>

#include "director/ipvs/plan.hpp"

namespace ipvs = lvsctl::director::ipvs;
using ipvs::OpKind;

namespace {

lvsctl::IpAddress addr(const char* text) { return *lvsctl::IpAddress::parse(text); }

ipvs::Destination dest(const char* a, std::uint16_t port, std::int32_t weight = 1,
                       ipvs::Forwarding fwd = ipvs::Forwarding::DirectRouting) {
  ipvs::Destination d;
  d.address = addr(a);
  d.port = port;
  d.weight = weight;
  d.forwarding = fwd;
  return d;
}

ipvs::Service service(const char* vip, std::uint16_t port, std::vector<ipvs::Destination> dests,
                      const char* sched = "rr", std::uint32_t persistence = 0) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, addr(vip), port);
  s.scheduler = sched;
  if (persistence) {
    s.flags = ipvs::service_flag::persistent;
    s.timeout = persistence;
  }
  s.destinations = std::move(dests);
  return s;
}

// The user's scenario with test addresses: three DR services, rr, persistence 50, two reals.
ipvs::Table scenario() {
  ipvs::Table t;
  for (const int p : {10010, 10020, 10030}) {
    const auto port = static_cast<std::uint16_t>(p);
    t.push_back(service("203.0.113.100", port,
                        {dest("203.0.113.101", port), dest("203.0.113.102", port)}, "rr", 50));
  }
  return t;
}

std::vector<OpKind> kinds(const std::vector<ipvs::Op>& ops) {
  std::vector<OpKind> out;
  for (const auto& op : ops) out.push_back(op.kind);
  return out;
}

}  // namespace

TEST(IpvsPlan, EmptyKernelAddsEveryServiceThenItsDestinations) {
  auto ops = ipvs::plan(scenario(), {});
  ASSERT_EQ(ops.size(), 9u);
  EXPECT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::AddService, OpKind::AddDestination, OpKind::AddDestination,
                                             OpKind::AddService, OpKind::AddDestination, OpKind::AddDestination,
                                             OpKind::AddService, OpKind::AddDestination, OpKind::AddDestination}));
  EXPECT_EQ(ops[0].service.key.port, 10010);
  EXPECT_EQ(ops[0].service.scheduler, "rr");
  EXPECT_EQ(ops[0].service.timeout, 50u);
  EXPECT_TRUE(ops[0].service.destinations.empty());
  EXPECT_EQ(ops[2].destination.address, addr("203.0.113.102"));
  EXPECT_EQ(ops[2].service.key, ops[0].service.key);
}

TEST(IpvsPlan, SameTableIsNoChange) {
  auto actual = scenario();
  // Counters and connection numbers read from the kernel never cause an op.
  actual[0].counters.connections = 12;
  actual[0].destinations[0].active_connections = 3;
  EXPECT_TRUE(ipvs::plan(scenario(), actual).empty());
  EXPECT_EQ(ipvs::summarize({}).to_string(), "no change");
}

TEST(IpvsPlan, WeightChangeIsOneDestinationEdit) {
  auto desired = scenario();
  desired[1].destinations[1].weight = 5;
  auto ops = ipvs::plan(desired, scenario());
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, OpKind::EditDestination);
  EXPECT_EQ(ops[0].service.key.port, 10020);
  EXPECT_EQ(ops[0].destination.address, addr("203.0.113.102"));
  EXPECT_EQ(ops[0].destination.weight, 5);
  EXPECT_EQ(ops[0].to_string(),
            "edit destination TCP 203.0.113.100:10020 -> 203.0.113.102:10020 (Route, weight 5)");
}

TEST(IpvsPlan, ForwardingAndThresholdChangesAreEditsNotReadds) {
  auto desired = scenario();
  desired[0].destinations[0].forwarding = ipvs::Forwarding::Nat;
  desired[0].destinations[1].upper_threshold = 100;
  auto ops = ipvs::plan(desired, scenario());
  EXPECT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::EditDestination, OpKind::EditDestination}));
}

TEST(IpvsPlan, SchedulerOrPersistenceChangeEditsTheServiceInPlace) {
  auto desired = scenario();
  desired[0].scheduler = "wrr";
  desired[1].timeout = 300;
  desired[2].netmask = 0xffffff00;
  auto ops = ipvs::plan(desired, scenario());
  ASSERT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::EditService, OpKind::EditService, OpKind::EditService}));
  EXPECT_EQ(ops[0].service.scheduler, "wrr");
  EXPECT_EQ(ops[1].service.timeout, 300u);
  EXPECT_EQ(ops[2].service.effective_netmask(), 0xffffff00u);
}

TEST(IpvsPlan, PersistenceTurnedOffIsAnEdit) {
  auto desired = scenario();
  desired[0].flags = 0;
  desired[0].timeout = 0;
  auto ops = ipvs::plan(desired, scenario());
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, OpKind::EditService);
  EXPECT_EQ(ops[0].service.flags, 0u);
}

TEST(IpvsPlan, FullNetmaskEqualsUnsetNetmask) {
  auto desired = scenario();
  auto actual = scenario();
  for (auto& s : actual) s.netmask = 0xffffffff;
  EXPECT_TRUE(ipvs::plan(desired, actual).empty());
}

TEST(IpvsPlan, KernelInternalFlagsAreIgnored) {
  auto actual = scenario();
  actual[0].flags |= 0x0002;  // IP_VS_SVC_F_HASHED, as the kernel reports it
  EXPECT_TRUE(ipvs::plan(scenario(), actual).empty());
}

TEST(IpvsPlan, RealServerRemovedAndAddedAreOneDeleteAndOneAdd) {
  auto desired = scenario();
  desired[2].destinations[0] = dest("203.0.113.103", 10030);
  auto ops = ipvs::plan(desired, scenario());
  ASSERT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::DeleteDestination, OpKind::AddDestination}));
  EXPECT_EQ(ops[0].destination.address, addr("203.0.113.101"));
  EXPECT_EQ(ops[1].destination.address, addr("203.0.113.103"));
}

TEST(IpvsPlan, RealServerPortChangeIsDeletePlusAdd) {
  auto desired = scenario();
  desired[0].destinations[0].port = 8080;
  auto ops = ipvs::plan(desired, scenario());
  EXPECT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::DeleteDestination, OpKind::AddDestination}));
}

TEST(IpvsPlan, ForeignServicesAreLeftAlone) {
  auto actual = scenario();
  actual.push_back(service("198.51.100.7", 53, {dest("198.51.100.8", 53)}));
  EXPECT_TRUE(ipvs::plan(scenario(), actual).empty());
}

TEST(IpvsPlan, OwnedServiceNoLongerDesiredIsDeleted) {
  auto actual = scenario();
  auto desired = scenario();
  desired.erase(desired.begin() + 1);
  ipvs::PlanOptions options;
  for (const auto& s : scenario()) options.owned.push_back(s.key);
  auto ops = ipvs::plan(desired, actual, options);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, OpKind::DeleteService);
  EXPECT_EQ(ops[0].service.key.port, 10020);
  // Without ownership, the same service stays.
  EXPECT_TRUE(ipvs::plan(desired, actual).empty());
}

TEST(IpvsPlan, FlushDeletesForeignServicesButKeepsWantedOnes) {
  auto actual = scenario();
  actual.push_back(service("198.51.100.7", 53, {dest("198.51.100.8", 53)}));
  ipvs::PlanOptions options;
  options.flush = true;
  auto ops = ipvs::plan(scenario(), actual, options);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, OpKind::DeleteService);
  EXPECT_EQ(ops[0].service.key.address, addr("198.51.100.7"));
}

TEST(IpvsPlan, FlushWithNothingWantedInTheKernelIsOneFlushThenAdds) {
  ipvs::Table actual{service("198.51.100.7", 53, {dest("198.51.100.8", 53)}),
                     service("198.51.100.7", 54, {dest("198.51.100.8", 54)})};
  ipvs::PlanOptions options;
  options.flush = true;
  auto ops = ipvs::plan(scenario(), actual, options);
  ASSERT_EQ(ops.size(), 10u);
  EXPECT_EQ(ops[0].kind, OpKind::Flush);
  EXPECT_EQ(ops[1].kind, OpKind::AddService);
  auto summary = ipvs::summarize(ops);
  EXPECT_TRUE(summary.flushed);
  EXPECT_EQ(summary.to_string(), "flushed, 3 services added, 6 destinations added");
}

TEST(IpvsPlan, FwmarkAndAddressServicesAreDistinctKeys) {
  ipvs::Service fwm;
  fwm.key = ipvs::ServiceKey::mark(7);
  fwm.scheduler = "wrr";
  fwm.destinations = {dest("198.51.100.1", 0, 3), dest("198.51.100.2", 0, 1)};
  auto desired = scenario();
  desired.push_back(fwm);
  auto ops = ipvs::plan(desired, scenario());
  ASSERT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::AddService, OpKind::AddDestination, OpKind::AddDestination}));
  EXPECT_EQ(ops[0].service.key.to_string(), "FWM 7");
  EXPECT_EQ(ops[1].destination.weight, 3);
  // Once programmed, nothing more to do.
  EXPECT_TRUE(ipvs::plan(desired, desired).empty());
}

TEST(IpvsPlan, DuplicateDesiredEntriesFirstWins) {
  auto desired = scenario();
  desired.push_back(service("203.0.113.100", 10010, {dest("203.0.113.109", 10010)}));
  desired[0].destinations.push_back(dest("203.0.113.101", 10010, 9));
  auto ops = ipvs::plan(desired, {});
  EXPECT_EQ(ops.size(), 9u);
  EXPECT_TRUE(ipvs::plan(desired, scenario()).empty());
}

TEST(IpvsPlan, OrderDeletesServicesBeforeAddingAndDestinationDeletesBeforeAdds) {
  ipvs::Table actual{service("198.51.100.7", 53, {}), service("203.0.113.100", 10010, {dest("203.0.113.101", 10010)}, "rr", 50)};
  ipvs::Table desired{service("203.0.113.100", 10010, {dest("203.0.113.102", 10010, 2)}, "wrr", 50)};
  ipvs::PlanOptions options;
  options.owned = {actual[0].key};
  auto ops = ipvs::plan(desired, actual, options);
  EXPECT_EQ(kinds(ops), (std::vector<OpKind>{OpKind::DeleteService, OpKind::EditService,
                                             OpKind::DeleteDestination, OpKind::AddDestination}));
  EXPECT_EQ(ipvs::summarize(ops).to_string(),
            "1 service edited, 1 service deleted, 1 destination added, 1 destination deleted");
}

TEST(IpvsPlan, OpsDescribeThemselves) {
  auto ops = ipvs::plan(scenario(), {});
  EXPECT_EQ(ops[0].to_string(), "add service TCP 203.0.113.100:10010 (rr, persistent 50s)");
  EXPECT_EQ(ops[1].to_string(),
            "add destination TCP 203.0.113.100:10010 -> 203.0.113.101:10010 (Route, weight 1)");
  ipvs::Op del;
  del.kind = OpKind::DeleteService;
  del.service.key = ipvs::ServiceKey::inet(ipvs::Protocol::Udp, addr("2001:db8::1"), 53);
  EXPECT_EQ(del.to_string(), "delete service UDP [2001:db8::1]:53");
}

namespace {

// What the kernel holds after executing `ops` on `table`: a small model of IPVS for the test.
ipvs::Table kernel_after(ipvs::Table table, const std::vector<ipvs::Op>& ops) {
  auto find = [&](const ipvs::ServiceKey& key) {
    return std::find_if(table.begin(), table.end(), [&](const auto& s) { return s.key == key; });
  };
  for (const auto& op : ops) {
    auto svc = find(op.service.key);
    switch (op.kind) {
      case OpKind::Flush: table.clear(); break;
      case OpKind::AddService: table.push_back(op.service); break;
      case OpKind::EditService: {
        auto dests = svc->destinations;
        *svc = op.service;
        svc->destinations = dests;
        break;
      }
      case OpKind::DeleteService: table.erase(svc); break;
      case OpKind::AddDestination: svc->destinations.push_back(op.destination); break;
      case OpKind::EditDestination:
        for (auto& d : svc->destinations) {
          if (d.same_endpoint(op.destination)) d = op.destination;
        }
        break;
      case OpKind::DeleteDestination:
        std::erase_if(svc->destinations,
                      [&](const auto& d) { return d.same_endpoint(op.destination); });
        break;
    }
  }
  return table;
}

// Same services with the same settings and destinations, in any order.
bool same_tables(const ipvs::Table& a, const ipvs::Table& b) {
  return a.size() == b.size() && ipvs::plan(a, b).empty() && ipvs::plan(b, a).empty();
}

}  // namespace

TEST(IpvsTableAfter, EqualsWhatTheKernelHoldsAfterThePlan) {
  ipvs::Table actual = scenario();
  actual.push_back(service("198.51.100.7", 53, {dest("198.51.100.8", 53)}));  // someone else's
  actual[0].destinations[0].active_connections = 4;
  ipvs::Table desired = scenario();
  desired.erase(desired.begin() + 2);  // owned, no longer wanted: deleted
  desired[0].scheduler = "wrr";
  desired[1].destinations[1].weight = 7;
  desired[1].destinations.push_back(dest("203.0.113.103", 10020));
  desired.push_back(
      service("203.0.113.200", 80, {dest("203.0.113.201", 80), dest("203.0.113.201", 80, 9)}));
  ipvs::PlanOptions options;
  for (const auto& s : scenario()) options.owned.push_back(s.key);

  const auto after = ipvs::table_after(desired, actual, options);
  const auto ops = ipvs::plan(desired, actual, options);
  EXPECT_TRUE(same_tables(after, kernel_after(actual, ops)));
  EXPECT_EQ(after.size(), 4u);  // 2 kept + 1 new + the foreign one
  EXPECT_TRUE(ipvs::plan(desired, after, options).empty());
  // The duplicate destination: the first wins, as in the plan.
  const auto& added =
      *std::find_if(after.begin(), after.end(), [](const auto& s) { return s.key.port == 80; });
  ASSERT_EQ(added.destinations.size(), 1u);
  EXPECT_EQ(added.destinations[0].weight, 1);
  // Kernel counters are not carried over.
  for (const auto& s : after) {
    for (const auto& d : s.destinations) EXPECT_EQ(d.active_connections, 0u);
  }
}

TEST(IpvsTableAfter, FlushDropsForeignServices) {
  ipvs::Table actual{service("198.51.100.7", 53, {dest("198.51.100.8", 53)})};
  ipvs::PlanOptions options;
  options.flush = true;
  const auto after = ipvs::table_after(scenario(), actual, options);
  EXPECT_TRUE(same_tables(after, scenario()));
  EXPECT_TRUE(same_tables(after, kernel_after(actual, ipvs::plan(scenario(), actual, options))));
  // Without flush the foreign service stays.
  EXPECT_EQ(ipvs::table_after(scenario(), actual).size(), 4u);
}
