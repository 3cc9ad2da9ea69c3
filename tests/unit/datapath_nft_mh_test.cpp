// mh on the nftables datapath: a Maglev lookup table of 251 slots chosen by jhash of the client
// address. Measured here: how many flows move when one real server of several leaves (Maglev's
// promise: few besides its own), how evenly the slots are shared, that weights are honoured,
// and that the table depends only on the live set (two directors build the same one).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "director/datapath/nft_lb_plan.hpp"

namespace lvsctl::director::datapath {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

nftlb::Endpoint rs(int i) {
  return {*IpAddress::parse("198.51.100." + std::to_string(10 + i)), 80, {}};
}

ipvs::Service mh_service(int servers, int skip = -1) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, ip("203.0.113.100"), 80);
  s.scheduler = "mh";
  for (int i = 0; i < servers; ++i) {
    if (i == skip) continue;
    ipvs::Destination d;
    d.address = rs(i).address;
    d.port = 80;
    d.forwarding = ipvs::Forwarding::Nat;
    s.destinations.push_back(d);
  }
  return s;
}

TEST(NftMaglev, RemovingOneRealServerMovesFewOtherFlows) {
  for (int n : {3, 5, 8}) {
    const auto all = nftlb::build_table({mh_service(n)}, HeldVips::everything(), {});
    ASSERT_EQ(all.services.size(), 1u);
    const auto& before = all.services[0].slot_backend;
    ASSERT_EQ(before.size(), nftlb::kMaglevSlots);
    EXPECT_EQ(all.services[0].pick, nftlb::Pick::SourceHash);
    // A fresh table without real server 1 (as a director that never saw it would build it).
    const auto less = nftlb::build_table({mh_service(n, 1)}, HeldVips::everything(), {});
    const auto& after = less.services[0].slot_backend;
    std::size_t own = 0;
    std::size_t moved_others = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before[i] == rs(1)) {
        ++own;
        EXPECT_NE(after[i], rs(1));
      } else if (after[i] != before[i]) {
        ++moved_others;
      }
    }
    // Slots stand for clients (jhash of the source spreads clients evenly over them).
    const double others = static_cast<double>(before.size() - own);
    std::printf("mh, %d real servers, one removed: its %zu of %u slots moved; %zu of the other "
                "%zu moved (%.1f%%)\n",
                n, own, nftlb::kMaglevSlots, moved_others, before.size() - own,
                100.0 * static_cast<double>(moved_others) / others);
    EXPECT_LT(static_cast<double>(moved_others), 0.10 * others) << n << " real servers";
    // The plan for that change edits map elements only.
    const auto c = nftlb::plan(less, all, true);
    EXPECT_EQ(c.ruleset_changes(), 0u);
    EXPECT_EQ(c.add_backends.size(), own + moved_others);
  }
}

TEST(NftMaglev, SlotsAreSharedEvenlyAndByWeight) {
  const auto t = nftlb::build_table({mh_service(4)}, HeldVips::everything(), {});
  std::map<std::string, int> share;
  for (const auto& e : t.services[0].slot_backend) share[e.address.to_string()]++;
  ASSERT_EQ(share.size(), 4u);
  for (const auto& [who, count] : share) {
    EXPECT_GE(count, 251 / 4 - 2) << who;
    EXPECT_LE(count, 251 / 4 + 2) << who;
  }
  auto weighted = mh_service(2);
  weighted.destinations[0].weight = 3;
  const auto w = nftlb::build_table({weighted}, HeldVips::everything(), {});
  int first = 0;
  for (const auto& e : w.services[0].slot_backend) first += e == rs(0) ? 1 : 0;
  EXPECT_NEAR(first, 251 * 3 / 4, 2);
}

TEST(NftMaglev, TheTableDependsOnlyOnTheLiveSet) {
  // Continuing a table that went through a failure gives the same as building it fresh.
  const auto full = nftlb::build_table({mh_service(4)}, HeldVips::everything(), {});
  const auto degraded = nftlb::build_table({mh_service(4, 2)}, HeldVips::everything(), full);
  const auto healed = nftlb::build_table({mh_service(4)}, HeldVips::everything(), degraded);
  EXPECT_EQ(healed.services[0].slot_backend, full.services[0].slot_backend);
  // The order of the configuration does not matter either.
  auto reversed = mh_service(4);
  std::reverse(reversed.destinations.begin(), reversed.destinations.end());
  EXPECT_EQ(nftlb::build_table({reversed}, HeldVips::everything(), {}).services[0].slot_backend,
            full.services[0].slot_backend);
}

}  // namespace
}  // namespace lvsctl::director::datapath
