// The nftables datapath beyond NAT: the DR table (netdev ingress, MACs, per-flow jhash), the
// VIPs held as VRRP MASTER, and what `director status` lists (services, weights, counters).
#include <gtest/gtest.h>

#include <string>

#include "director/config/load.hpp"
#include "director/daemon/status_report.hpp"
#include "director/datapath/held_vips.hpp"
#include "director/datapath/nft_lb_plan.hpp"
#include "director/datapath/nft_lb_status.hpp"
#include "director/datapath/nft_support.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::datapath {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

ipvs::Destination dest(const char* address, std::uint16_t port, ipvs::Forwarding fwd,
                       std::int32_t weight = 1) {
  ipvs::Destination d;
  d.address = ip(address);
  d.port = port;
  d.forwarding = fwd;
  d.weight = weight;
  return d;
}

ipvs::Service service(const char* vip, std::uint16_t port, const char* scheduler,
                      std::vector<ipvs::Destination> dests) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, ip(vip), port);
  s.scheduler = scheduler;
  s.destinations = std::move(dests);
  return s;
}

constexpr auto kDr = ipvs::Forwarding::DirectRouting;
constexpr auto kNat = ipvs::Forwarding::Nat;
const nftlb::Mac kDirector = {0x42, 0x0f, 0xbd, 0x57, 0x85, 0x42};
const nftlb::Mac kR1 = {0x52, 0x4a, 0x9f, 0xca, 0xf1, 0xf8};
const nftlb::Mac kR2 = {0xce, 0x91, 0x1b, 0xfc, 0xae, 0x18};

HeldVips held_on_eth0(bool master) {
  HeldVips h;
  h.all = false;
  h.managed = {ip("203.0.113.100")};
  if (master) h.vips = h.managed;
  h.interface_of[ip("203.0.113.100")] = "eth0";
  return h;
}

nftlb::DrFacts facts(bool r2_known = true) {
  nftlb::DrFacts f;
  f.interfaces["eth0"] = {7, kDirector};
  f.neighbours[ip("203.0.113.11")] = kR1;
  if (r2_known) f.neighbours[ip("203.0.113.12")] = kR2;
  return f;
}

const ipvs::Table kDrDesired = {service(
    "203.0.113.100", 10010, "rr",
    {dest("203.0.113.11", 10010, kDr), dest("203.0.113.12", 10010, kDr)})};

TEST(NftDrTable, RendersNetdevIngressWithMacsAndFlowHashGoldenText) {
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto table =
      nftlb::build_dr_table(kDrDesired, held_on_eth0(true), {}, facts(), notes, unresolved);
  EXPECT_TRUE(notes.empty());
  EXPECT_TRUE(unresolved.empty());
  EXPECT_EQ(nftlb::render_dr_nft(table),
            "table netdev lvsctl {\n"
            "\tmap dr_services {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
            "\t\telements = {\n"
            "\t\t\t203.0.113.100 . tcp . 10010 : jump dr_vs_203_0_113_100_tcp_10010 }\n"
            "\t}\n"
            "\tmap dr_backends {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service . mark : ether_addr\n"
            "\t\tcounter\n"
            "\t\telements = {\n"
            "\t\t\t203.0.113.100 . tcp . 10010 . 0x00000000 : 52:4a:9f:ca:f1:f8,\n"
            "\t\t\t203.0.113.100 . tcp . 10010 . 0x00000001 : ce:91:1b:fc:ae:18 }\n"
            "\t}\n"
            "\tchain ingress_eth0 {\n"
            "\t\ttype filter hook ingress device \"eth0\" priority filter; policy accept;\n"
            "\t\tmeta pkttype host meta protocol ip ip daddr . meta l4proto . th dport vmap "
            "@dr_services\n"
            "\t\tmeta pkttype host meta protocol ip ether daddr set ip daddr . meta l4proto . th "
            "dport . meta mark map @dr_backends ether saddr set 42:0f:bd:57:85:42 fwd to \"eth0\"\n"
            "\t}\n"
            "\tmap persist {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service . ipv4_addr : mark\n"
            "\t\tsize 262144\n"
            "\t\tflags dynamic,timeout\n"
            "\t}\n"
            "\tchain dr_vs_203_0_113_100_tcp_10010 {\n"
            "\t\tmeta mark set jhash ip saddr . th sport mod 2 seed 0x0\n"
            "\t}\n"
            "}\n");
}

TEST(NftDrTable, BackupHasNoIngressAndNoServices) {
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto table =
      nftlb::build_dr_table(kDrDesired, held_on_eth0(false), {}, facts(), notes, unresolved);
  EXPECT_TRUE(table.services.empty());
  EXPECT_TRUE(table.ingress.empty());
  // Becoming MASTER adds the ingress chain last, after the maps are filled.
  std::vector<std::string> n2;
  const auto master =
      nftlb::build_dr_table(kDrDesired, held_on_eth0(true), table, facts(), n2, unresolved);
  const auto c = nftlb::plan(master, table, true, true);
  ASSERT_EQ(c.add_ingress.size(), 1u);
  EXPECT_EQ(c.add_ingress[0].ifname, "eth0");
  EXPECT_EQ(c.add_ingress[0].ifindex, 7);
  EXPECT_EQ(c.add_backends.size(), 2u);
  // And back to BACKUP removes it first.
  const auto back = nftlb::plan(table, master, true, true);
  ASSERT_EQ(back.remove_ingress.size(), 1u);
  EXPECT_EQ(back.remove_chains.size(), 1u);
}

TEST(NftDrTable, UnresolvedMacTakesNoSlotsAndIsNotedForResolution) {
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto table = nftlb::build_dr_table(kDrDesired, held_on_eth0(true), {}, facts(false),
                                           notes, unresolved);
  ASSERT_EQ(table.services.size(), 1u);
  for (const auto& e : table.services[0].slot_backend) EXPECT_EQ(e.address, ip("203.0.113.11"));
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0].first, ip("203.0.113.12"));
  EXPECT_EQ(unresolved[0].second, "eth0");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("203.0.113.12 has no MAC"), std::string::npos) << notes[0];
  // Once resolved, only map elements change (the slot count was fixed for two servers).
  std::vector<std::string> n2;
  std::vector<std::pair<IpAddress, std::string>> u2;
  const auto resolved =
      nftlb::build_dr_table(kDrDesired, held_on_eth0(true), table, facts(), n2, u2);
  const auto c = nftlb::plan(resolved, table, true, true);
  EXPECT_EQ(c.ruleset_changes(), 0u) << c.to_string();
  EXPECT_EQ(c.add_backends.size(), 1u);
  EXPECT_EQ(c.add_backends[0].backend.mac, kR2);
}

TEST(NftDrTable, HealthChangeEditsOnlyMapElements) {
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto both =
      nftlb::build_dr_table(kDrDesired, held_on_eth0(true), {}, facts(), notes, unresolved);
  ipvs::Table one = kDrDesired;
  one[0].destinations.pop_back();
  const auto after =
      nftlb::build_dr_table(one, held_on_eth0(true), both, facts(), notes, unresolved);
  const auto c = nftlb::plan(after, both, true, true);
  EXPECT_EQ(c.ruleset_changes(), 0u);
  EXPECT_EQ(c.remove_backends.size(), 1u);
  EXPECT_EQ(c.add_backends.size(), 1u);
  EXPECT_EQ(c.add_backends[0].backend.mac, kR1);
}

TEST(NftDrTable, DrVipWithoutInterfaceIsNoted) {
  HeldVips held;  // everything held, no interface known
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto table = nftlb::build_dr_table(kDrDesired, held, {}, facts(), notes, unresolved);
  EXPECT_TRUE(table.services.empty());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no VRRP instance"), std::string::npos) << notes[0];
  // NAT's table never takes a DR service.
  EXPECT_TRUE(nftlb::build_table(kDrDesired, held, {}).services.empty());
}

config::Config load(const std::string& text) {
  conf::MemorySources reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return parsed.config;
}

TEST(HeldVips, FollowTheMasterInstancesAndKnowTheirInterfaces) {
  const auto config = load(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority 100\n"
      " virtual_ipaddress {\n  203.0.113.100\n  203.0.113.101 dev eth1\n }\n}\n"
      "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n priority 100\n"
      " virtual_ipaddress {\n  203.0.113.102\n }\n}\n");
  const auto held = held_vips(config, [](const std::string& name) { return name == "B"; });
  EXPECT_FALSE(held.all);
  EXPECT_FALSE(held.holds(ip("203.0.113.100")));
  EXPECT_FALSE(held.holds(ip("203.0.113.101")));
  EXPECT_TRUE(held.holds(ip("203.0.113.102")));
  EXPECT_TRUE(held.holds(ip("203.0.113.200")));  // no instance manages it
  EXPECT_EQ(held.interface_of.at(ip("203.0.113.101")), "eth1");
  EXPECT_EQ(held.interface_of.at(ip("203.0.113.100")), "eth0");
  const auto notes = nftlb::not_held_notes(
      {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80, kNat)}),
       service("203.0.113.100", 81, "rr", {dest("198.51.100.11", 81, kNat)}),
       service("203.0.113.102", 80, "rr", {dest("198.51.100.11", 80, kNat)})},
      held);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("VIP 203.0.113.100 is not held here"), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find("its 2 services"), std::string::npos) << notes[0];
}

TEST(NftStatus, ListingCarriesWeightsAndCountersPerRealServer) {
  const ipvs::Table desired = {
      service("203.0.113.100", 10010, "wrr",
              {dest("198.51.100.11", 10010, kNat, 3), dest("198.51.100.12", 10010, kNat, 1)}),
      service("203.0.113.100", 10020, "rr",
              {dest("203.0.113.11", 10020, kDr), dest("203.0.113.12", 10020, kDr)})};
  const auto nat = nftlb::build_table(desired, HeldVips::everything(), {});
  std::vector<std::string> notes;
  std::vector<std::pair<IpAddress, std::string>> unresolved;
  const auto dr =
      nftlb::build_dr_table(desired, held_on_eth0(true), {}, facts(), notes, unresolved);
  ASSERT_EQ(nat.services.size(), 1u);
  ASSERT_EQ(dr.services.size(), 1u);
  std::vector<nftlb::SlotCounter> nat_counts;
  for (std::uint32_t i = 0; i < nat.services[0].slot_backend.size(); ++i) {
    nat_counts.push_back({nat.services[0].key, i, nat.services[0].slot_backend[i], 2, 120});
  }
  std::vector<nftlb::SlotCounter> dr_counts;
  for (std::uint32_t i = 0; i < dr.services[0].slot_backend.size(); ++i) {
    nftlb::Endpoint e;
    e.mac = dr.services[0].slot_backend[i].mac;
    dr_counts.push_back({dr.services[0].key, i, e, 10, 1000});
  }
  const auto table = nftlb::listing(desired, nat, dr, nat_counts, dr_counts);
  ASSERT_EQ(table.size(), 2u);
  const auto& n = table[0];
  EXPECT_EQ(n.scheduler, "wrr");
  EXPECT_EQ(n.destinations[0].weight, 3);
  // 4 slots: 3 for the weight-3 server, 1 for the other; 2 connections counted per slot.
  EXPECT_EQ(n.destinations[0].counters.connections, 6u);
  EXPECT_EQ(n.destinations[1].counters.connections, 2u);
  EXPECT_EQ(n.counters.connections, 8u);
  const auto& d = table[1];
  EXPECT_EQ(d.destinations[0].forwarding, kDr);
  EXPECT_EQ(d.destinations[0].counters.in_packets, 10u);
  EXPECT_EQ(d.destinations[1].counters.in_bytes, 1000u);
  EXPECT_EQ(d.counters.in_packets, 20u);
  const auto text = nftables_listing(table);
  EXPECT_NE(text.find("TCP  203.0.113.100:10010 wrr"), std::string::npos) << text;
  EXPECT_NE(text.find("  -> 198.51.100.11:10010          Masq    3      6 "), std::string::npos)
      << text;
  EXPECT_NE(text.find("  -> 203.0.113.12:10020           Route   1      0          10         1000"),
            std::string::npos)
      << text;
}

TEST(NftStatus, StatusAnswerShowsTheDatapathNotesAndListing) {
  DaemonSnapshot snapshot;
  snapshot.datapath.backend = "nftables";
  snapshot.datapath.available = true;
  snapshot.datapath.table = "ip lvsctl";
  snapshot.datapath.transactions = 3;
  snapshot.datapath.notes = {"VIP 203.0.113.100 is not held here"};
  auto text = StatusAnswer::text(snapshot);
  ASSERT_TRUE(text.needs_table());
  const auto out = std::move(text).finish(ipvs::Table{
      service("203.0.113.101", 80, "rr", {dest("198.51.100.11", 80, kNat)})});
  EXPECT_NE(out.find("nftables datapath: table ip lvsctl, 3 transactions"), std::string::npos)
      << out;
  EXPECT_NE(out.find("  NOTE: VIP 203.0.113.100 is not held here"), std::string::npos) << out;
  EXPECT_NE(out.find("198.51.100.11:80"), std::string::npos) << out;
  auto json = StatusAnswer::json(snapshot);
  const auto j = std::move(json).finish(ipvs::Table{
      service("203.0.113.101", 80, "rr", {dest("198.51.100.11", 80, kNat)})});
  // The ipvs object closes empty; the datapath object carries the listing.
  const auto ipvs_at = j.find("\"ipvs\": {");
  const auto datapath_at = j.find("\"datapath\": {");
  ASSERT_NE(ipvs_at, std::string::npos) << j;
  ASSERT_NE(datapath_at, std::string::npos) << j;
  EXPECT_NE(j.find("\"services\": []", ipvs_at), std::string::npos) << j;
  EXPECT_NE(j.find("\"backend\": \"nftables\"", datapath_at), std::string::npos) << j;
  EXPECT_NE(j.find("\"VIP 203.0.113.100 is not held here\"", datapath_at), std::string::npos) << j;
  EXPECT_NE(j.find("\"address\": \"203.0.113.101\"", datapath_at), std::string::npos) << j;
}

TEST(NftSupport, DrIsAcceptedWithAVrrpVipAndRefusedWithout) {
  const auto ok = load(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority 100\n"
      " virtual_ipaddress {\n  203.0.113.100\n }\n}\n"
      "virtual_server 203.0.113.100 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n"
      " real_server 203.0.113.11 80 {\n }\n}\n");
  EXPECT_TRUE(nftables_diagnostics(ok).empty());
  const auto bad = load(
      "virtual_server 203.0.113.100 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n"
      " real_server 203.0.113.11 80 {\n }\n}\n");
  const auto diags = nftables_diagnostics(bad);
  std::string all;
  for (const auto& d : diags) all += conf::format(d) + "\n";
  ASSERT_EQ(diags.size(), 1u) << all;
  EXPECT_NE(conf::format(diags[0]).find("test.conf:1:1"), std::string::npos);
  EXPECT_NE(conf::format(diags[0]).find("needs the VIP in a vrrp_instance"), std::string::npos);
}

}  // namespace
}  // namespace lvsctl::director::datapath
