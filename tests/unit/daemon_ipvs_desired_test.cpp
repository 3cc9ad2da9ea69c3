// desired_table: health and quorum -> IPVS destinations, with keepalived 2.2.7's semantics for
// inhibit_on_failure, sorry_server, sorry_server_inhibit and sorry_server_lvs_method (checked
// against keepalived's table in tests/vm/director_health_test.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"
#include "director/daemon/ipvs_desired.hpp"

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& extra_vs, const std::string& rs1_extra = "") {
  const std::string text = "virtual_server 203.0.113.100 80 {\n"
                           "  lb_algo rr\n  lb_kind DR\n  protocol TCP\n" + extra_vs +
                           "  real_server 203.0.113.11 80 {\n    weight 3\n" + rs1_extra +
                           "  }\n"
                           "  real_server 203.0.113.12 80 {\n    weight 2\n  }\n}\n";
  conf::MemorySources reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return parsed.config;
}

// Destinations of the one service: "address:port" -> weight.
std::map<std::string, int> dests(const ipvs::Table& table) {
  std::map<std::string, int> out;
  EXPECT_EQ(table.size(), 1u);
  for (const auto& d : table.at(0).destinations) {
    out[d.address.to_string() + ":" + std::to_string(d.port)] = d.weight;
  }
  return out;
}

// rs1 (index 0) up or down; quorum as given.
HealthLookup health(const config::Config& c, bool rs1_up, bool quorum_up) {
  HealthLookup h;
  h.real_server = [&c, rs1_up](std::size_t vs, std::size_t rs) {
    return DestinationHealth{rs != 0 || rs1_up, c.virtual_servers[vs].real_servers[rs].weight};
  };
  h.quorum_up = [quorum_up](std::size_t) { return quorum_up; };
  return h;
}

using Dests = std::map<std::string, int>;

TEST(DesiredTable, DownRealServerLeavesOrGetsWeightZero) {
  auto c = parse("");
  EXPECT_EQ(dests(desired_table(c, health(c, true, true))),
            (Dests{{"203.0.113.11:80", 3}, {"203.0.113.12:80", 2}}));
  EXPECT_EQ(dests(desired_table(c, health(c, false, true))), (Dests{{"203.0.113.12:80", 2}}));
  auto inhibit = parse("", "    inhibit_on_failure\n");
  EXPECT_EQ(dests(desired_table(inhibit, health(inhibit, false, true))),
            (Dests{{"203.0.113.11:80", 0}, {"203.0.113.12:80", 2}}));
}

TEST(DesiredTable, SorryServerReplacesLiveRealServersWithoutQuorum) {
  auto c = parse("  sorry_server 203.0.113.13 8080\n  quorum 4\n");
  EXPECT_EQ(dests(desired_table(c, health(c, true, true))),
            (Dests{{"203.0.113.11:80", 3}, {"203.0.113.12:80", 2}}));
  EXPECT_EQ(dests(desired_table(c, health(c, false, false))), (Dests{{"203.0.113.13:8080", 1}}));
  // Without a sorry server, losing quorum changes nothing in the table.
  auto plain = parse("  quorum 4\n");
  EXPECT_EQ(dests(desired_table(plain, health(plain, false, false))),
            (Dests{{"203.0.113.12:80", 2}}));
}

TEST(DesiredTable, InhibitedRealServersStayWithWeightZeroBesideTheSorryServer) {
  auto c = parse("  sorry_server 203.0.113.13 80\n  quorum 4\n  inhibit_on_failure\n");
  EXPECT_EQ(dests(desired_table(c, health(c, false, false))),
            (Dests{{"203.0.113.11:80", 0}, {"203.0.113.12:80", 0}, {"203.0.113.13:80", 1}}));
}

TEST(DesiredTable, SorryServerInhibitKeepsItWithWeightZeroWhileQuorumHolds) {
  auto c = parse("  sorry_server 203.0.113.13\n  sorry_server_inhibit\n  quorum 4\n");
  EXPECT_EQ(dests(desired_table(c, health(c, true, true))),
            (Dests{{"203.0.113.11:80", 3}, {"203.0.113.12:80", 2}, {"203.0.113.13:80", 0}}));
  EXPECT_EQ(dests(desired_table(c, health(c, false, false))), (Dests{{"203.0.113.13:80", 1}}));
}

TEST(DesiredTable, SorryServerLvsMethod) {
  auto c = parse("  sorry_server 203.0.113.13 80\n  sorry_server_lvs_method NAT\n");
  auto table = desired_table(c, health(c, false, false));
  ASSERT_EQ(table.at(0).destinations.size(), 1u);
  EXPECT_EQ(table[0].destinations[0].forwarding, ipvs::Forwarding::Nat);
  auto inherited = parse("  sorry_server 203.0.113.13 80\n");
  table = desired_table(inherited, health(inherited, false, false));
  EXPECT_EQ(table.at(0).destinations.at(0).forwarding, ipvs::Forwarding::DirectRouting);
}

TEST(DesiredTable, AllHealthyJudgesQuorumOnTotalWeight) {
  auto c = parse("  sorry_server 203.0.113.13 80\n  quorum 6\n");  // total weight 5
  EXPECT_EQ(dests(desired_table(c, all_healthy(c))), (Dests{{"203.0.113.13:80", 1}}));
  EXPECT_EQ(live_weight(c, 0, all_healthy(c).real_server), 5);
}


// --- DesiredTable: a health change recomputes only its virtual servers -----------------------

config::Config parse_text(const std::string& text) {
  conf::MemorySources reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return parsed.config;
}

// Three virtual servers: :80 and :81 plain, and a group of two addresses on :82.
const char* const kThree =
    "virtual_server_group G {\n  203.0.113.101 82\n  203.0.113.102 82\n}\n"
    "virtual_server 203.0.113.100 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
    "  real_server 198.51.100.11 80 {\n    weight 1\n  }\n"
    "  real_server 198.51.100.12 80 {\n    weight 2\n  }\n}\n"
    "virtual_server 203.0.113.100 81 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
    "  real_server 198.51.100.11 81 {\n    weight 1\n  }\n}\n"
    "virtual_server group G {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
    "  real_server 198.51.100.13 82 {\n    weight 1\n    inhibit_on_failure\n  }\n"
    "  real_server 198.51.100.14 82 {\n    weight 1\n  }\n}\n";

// Health with a set of (vs, rs) pairs down.
struct Down {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  HealthLookup lookup(const config::Config& c) const {
    HealthLookup h;
    h.real_server = [this, &c](std::size_t vs, std::size_t rs) {
      const bool down = std::find(pairs.begin(), pairs.end(), std::pair{vs, rs}) != pairs.end();
      return DestinationHealth{!down, c.virtual_servers[vs].real_servers[rs].weight};
    };
    h.quorum_up = [](std::size_t) { return true; };
    return h;
  }
};

std::string keys(const std::vector<ipvs::Service>& services) {
  std::string out;
  for (const auto& s : services) out += s.key.to_string() + " ";
  return out;
}

// The kept table equals a whole rebuild for the same health, service for service.
void expect_same_as_rebuild(const DesiredTable& kept, const config::Config& c,
                            const HealthLookup& h) {
  const auto whole = desired_table(c, h);
  ASSERT_EQ(kept.table().size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(kept.table()[i].key, whole[i].key);
    ASSERT_EQ(kept.table()[i].destinations.size(), whole[i].destinations.size()) << i;
    for (std::size_t d = 0; d < whole[i].destinations.size(); ++d) {
      EXPECT_TRUE(kept.table()[i].destinations[d].same_settings(whole[i].destinations[d]));
    }
  }
}

TEST(DesiredTableKept, HealthChangeReturnsOnlyTheChangedService) {
  const auto c = parse_text(kThree);
  Down down;
  DesiredTable kept;
  kept.rebuild(c, down.lookup(c));
  ASSERT_EQ(kept.table().size(), 4u);  // :80, :81, and the group's two addresses
  down.pairs = {{0, 1}};  // 198.51.100.12 of :80
  const std::size_t changed[] = {0};
  auto delta = kept.update(c, down.lookup(c), changed);
  ASSERT_TRUE(delta);
  EXPECT_EQ(keys(*delta), "TCP 203.0.113.100:80 ");
  ASSERT_EQ(delta->at(0).destinations.size(), 1u);
  EXPECT_EQ(delta->at(0).destinations[0].address.to_string(), "198.51.100.11");
  expect_same_as_rebuild(kept, c, down.lookup(c));
  // Back up: the service has both again.
  down.pairs.clear();
  delta = kept.update(c, down.lookup(c), changed);
  ASSERT_TRUE(delta);
  EXPECT_EQ(delta->at(0).destinations.size(), 2u);
  expect_same_as_rebuild(kept, c, down.lookup(c));
}

TEST(DesiredTableKept, GroupChangeReturnsEveryServiceOfTheGroup) {
  const auto c = parse_text(kThree);
  Down down;
  DesiredTable kept;
  kept.rebuild(c, down.lookup(c));
  down.pairs = {{2, 0}};  // inhibit_on_failure: stays with weight 0
  const std::size_t changed[] = {2};
  auto delta = kept.update(c, down.lookup(c), changed);
  ASSERT_TRUE(delta);
  EXPECT_EQ(keys(*delta), "TCP 203.0.113.101:82 TCP 203.0.113.102:82 ");
  for (const auto& s : *delta) {
    ASSERT_EQ(s.destinations.size(), 2u);
    EXPECT_EQ(s.destinations[0].weight, 0);
  }
  expect_same_as_rebuild(kept, c, down.lookup(c));
}

TEST(DesiredTableKept, NoDifferenceGivesAnEmptyDelta) {
  const auto c = parse_text(kThree);
  Down down;
  DesiredTable kept;
  kept.rebuild(c, down.lookup(c));
  const std::size_t changed[] = {0, 1, 2, 99};  // 99: not a virtual server, ignored
  auto delta = kept.update(c, down.lookup(c), changed);
  ASSERT_TRUE(delta);
  EXPECT_TRUE(delta->empty());
  // A virtual server not named does not move even when its health differs (not recomputed).
  down.pairs = {{1, 0}};
  const std::size_t only_first[] = {0};
  delta = kept.update(c, down.lookup(c), only_first);
  ASSERT_TRUE(delta);
  EXPECT_TRUE(delta->empty());
  EXPECT_EQ(kept.table()[1].destinations.size(), 1u);
}

TEST(DesiredTableKept, AnotherConfigurationRebuildsTheWholeTable) {
  const auto c = parse_text(kThree);
  DesiredTable kept;
  kept.rebuild(c, all_healthy(c));
  const auto smaller = parse(std::string{});
  const std::size_t changed[] = {0};
  EXPECT_FALSE(kept.update(smaller, all_healthy(smaller), changed));
  EXPECT_EQ(kept.table().size(), 1u);
  expect_same_as_rebuild(kept, smaller, all_healthy(smaller));
}

TEST(DesiredTableKept, ShadowedDuplicateKeyIsNeverSent) {
  // The group's first address is also a plain virtual server listed earlier: the first wins
  // (ipvs::plan, nftlb::build_table), so a change of the group sends only its other address.
  const auto c = parse_text(
      std::string(kThree) +
      "virtual_server 203.0.113.101 82 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
      "  real_server 198.51.100.15 82 {\n    weight 1\n  }\n}\n");
  Down down;
  DesiredTable kept;
  kept.rebuild(c, down.lookup(c));
  ASSERT_EQ(kept.table().size(), 5u);
  // Order: :80, :81, group (.101, .102), then the plain .101:82 - the group's .101 comes first.
  down.pairs = {{3, 0}};  // the plain virtual server's only real server
  const std::size_t changed[] = {3};
  auto delta = kept.update(c, down.lookup(c), changed);
  ASSERT_TRUE(delta);
  EXPECT_TRUE(delta->empty()) << keys(*delta);
  down.pairs = {{2, 1}};
  const std::size_t group[] = {2};
  delta = kept.update(c, down.lookup(c), group);
  ASSERT_TRUE(delta);
  EXPECT_EQ(keys(*delta), "TCP 203.0.113.101:82 TCP 203.0.113.102:82 ");
}

}  // namespace
}  // namespace lvsctl::director
