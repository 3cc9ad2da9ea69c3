// desired_table: health and quorum -> IPVS destinations, with keepalived 2.2.7's semantics for
// inhibit_on_failure, sorry_server, sorry_server_inhibit and sorry_server_lvs_method (checked
// against keepalived's table in tests/vm/director_health_test.sh).
#include <gtest/gtest.h>

#include <map>
#include <string>

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

}  // namespace
}  // namespace lvsctl::director
