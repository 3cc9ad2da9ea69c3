// The lab's pure parts: its namespace names, the directors' configs (valid keepalived.conf that
// the nftables datapath can express, the seed's spelling), and the parsing of `director status`
// text.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/datapath/nft_support.hpp"
#include "lab/observe.hpp"
#include "lab/topology.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::lab {
namespace {

TEST(LabTopology, NamespaceNamesCarryThePrefix) {
  EXPECT_EQ(ns_name("d1"), "lvslab-d1");
  EXPECT_TRUE(is_lab_namespace("lvslab-d1"));
  EXPECT_TRUE(is_lab_namespace("lvslab-stale-2"));
  EXPECT_FALSE(is_lab_namespace("lvslab-"));
  EXPECT_FALSE(is_lab_namespace("lvslab"));
  EXPECT_FALSE(is_lab_namespace("lt123-d1"));
  EXPECT_FALSE(is_lab_namespace("lvslab-../x"));
  EXPECT_FALSE(is_lab_namespace("xlvslab-d1"));
}

std::string describe(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

TEST(LabTopology, DirectorConfigsAreValidAndFitTheNftablesDatapath) {
  for (const auto& d : kDirectors) {
    const std::string text = director_config(d);
    conf::MemorySources sources;
    const std::string file = std::string(d.name) + ".conf";
    sources.add(file, text);
    auto parsed = director::config::parse_config(text, file, sources);
    // The seed's spelling (lb_algo/lb_kind) is kept: its one "old names" note is the only
    // diagnostic.
    ASSERT_FALSE(conf::has_errors(parsed.diags)) << describe(parsed.diags) << text;
    for (const auto& diag : parsed.diags) {
      EXPECT_NE(conf::format(diag).find("are the old names of"), std::string::npos)
          << conf::format(diag);
    }
    const auto& c = parsed.config;
    ASSERT_EQ(c.vrrp_instances.size(), 2u);
    EXPECT_EQ(c.vrrp_instances[0].vrid, 100);
    EXPECT_EQ(c.vrrp_instances[0].priority, static_cast<int>(d.priority));
    ASSERT_EQ(c.virtual_servers.size(), kPorts.size());
    for (const auto& vs : c.virtual_servers) EXPECT_EQ(vs.real_servers.size(), kRealServers.size());
    EXPECT_TRUE(director::datapath::nftables_diagnostics(c).empty())
        << describe(director::datapath::nftables_diagnostics(c));
  }
}

TEST(LabTopology, FirewallDropsByPolicyWithoutAcceptingVrrp) {
  const std::string fw = firewall_ruleset();
  EXPECT_NE(fw.find("policy drop"), std::string::npos);
  EXPECT_EQ(fw.find("vrrp"), std::string::npos);
}

TEST(LabObserve, SeedInstanceStateFromStatusText) {
  const std::string text =
      "VRRP VIP_GW_101 VRID 101 on eth1: BACKUP (priority 50, effective 50), master 198.51.100.2, "
      "VIPs 198.51.100.1/24\n"
      "VRRP VIP_NSQ_100 VRID 100 on eth0: MASTER (priority 50, effective 50), master "
      "203.0.113.105, VIPs 203.0.113.100/32\n"
      "  CONFLICT: another master 203.0.113.104 (priority 100) since 2026-12-02T14:00:00Z: split "
      "brain?\n";
  EXPECT_EQ(seed_instance_state(text), "MASTER");
  EXPECT_TRUE(reports_conflict(text));
  EXPECT_EQ(seed_instance_state("IPVS: off (x)\n"), "");
  EXPECT_FALSE(reports_conflict("VRRP VIP_NSQ_100 VRID 100 on eth0: BACKUP (priority 50)\n"));
}

}  // namespace
}  // namespace lvsctl::lab
