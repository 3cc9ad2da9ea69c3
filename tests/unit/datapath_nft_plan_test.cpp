// The nftables datapath's pure core: desired IPVS table -> nftables table (slots), the plan
// between two tables (a health change edits map elements only), the `nft -f` text, the backend
// choice and what check-config refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "director/config/load.hpp"
#include "director/datapath/backend_choice.hpp"
#include "director/datapath/nft_lb_plan.hpp"
#include "director/datapath/nft_support.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::datapath {
namespace {

using nftlb::Endpoint;

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

ipvs::Destination dest(const char* address, std::uint16_t port, std::int32_t weight = 1) {
  ipvs::Destination d;
  d.address = ip(address);
  d.port = port;
  d.forwarding = ipvs::Forwarding::Nat;
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

// How many slots each real server holds ("198.51.100.11" -> 6).
std::map<std::string, int> shares(const nftlb::Service& s) {
  std::map<std::string, int> out;
  for (const auto& e : s.slot_backend) out[e.address.to_string()]++;
  return out;
}

const HeldVips kAll = HeldVips::everything();

TEST(NftLbTable, RoundRobinTwoServersRendersGoldenText) {
  const ipvs::Table desired = {service("203.0.113.100", 10010, "rr",
                                       {dest("198.51.100.11", 10010), dest("198.51.100.12", 10010)})};
  const auto table = nftlb::build_table(desired, kAll, {});
  EXPECT_EQ(nftlb::render_nft(table),
            "table ip lvsctl {\n"
            "\tmap services {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
            "\t\telements = {\n"
            "\t\t\t203.0.113.100 . tcp . 10010 : jump vs_203_0_113_100_tcp_10010 }\n"
            "\t}\n"
            "\tmap backends {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service . mark : ipv4_addr . inet_service\n"
            "\t\tcounter\n"
            "\t\telements = {\n"
            "\t\t\t203.0.113.100 . tcp . 10010 . 0x00000000 : 198.51.100.11 . 10010,\n"
            "\t\t\t203.0.113.100 . tcp . 10010 . 0x00000001 : 198.51.100.12 . 10010 }\n"
            "\t}\n"
            "\tchain prerouting {\n"
            "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
            "\t\tip daddr . meta l4proto . th dport vmap @services\n"
            "\t\tdnat ip to ip daddr . meta l4proto . th dport . meta mark map @backends\n"
            "\t}\n"
            "\tmap persist {\n"
            "\t\ttype ipv4_addr . inet_proto . inet_service . ipv4_addr : mark\n"
            "\t\tsize 262144\n"
            "\t\tflags dynamic,timeout\n"
            "\t}\n"
            "\tchain vs_203_0_113_100_tcp_10010 {\n"
            "\t\tmeta mark set numgen inc mod 2\n"
            "\t}\n"
            "}\n");
}

TEST(NftLbTable, PersistenceTimeoutRecordsEachClientsSlotInTheDynamicMap) {
  auto svc = service("203.0.113.100", 10010, "rr",
                     {dest("198.51.100.11", 10010), dest("198.51.100.12", 10010)});
  svc.flags = ipvs::service_flag::persistent;
  svc.timeout = 300;
  const auto table = nftlb::build_table({svc}, kAll, {});
  ASSERT_EQ(table.services.size(), 1u);
  EXPECT_EQ(table.services[0].persist, 300u);
  const auto text = nftlb::render_nft(table);
  EXPECT_NE(text.find("\tchain vs_203_0_113_100_tcp_10010 {\n"
                      "\t\tmeta mark set ip daddr . meta l4proto . th dport . ip saddr map @persist "
                      "update @persist { ip daddr . meta l4proto . th dport . ip saddr timeout 300s "
                      ": meta mark } return\n"
                      "\t\tmeta mark set numgen inc mod 2\n"
                      "\t\tadd @persist { ip daddr . meta l4proto . th dport . ip saddr timeout "
                      "300s : meta mark }\n"
                      "\t}\n"),
            std::string::npos)
      << text;
  // A new timeout replaces the chain (its rules change); a health change still edits elements.
  auto longer = svc;
  longer.timeout = 600;
  EXPECT_EQ(nftlb::plan(nftlb::build_table({longer}, kAll, table), table, true).ruleset_changes(),
            2u);
  auto one = svc;
  one.destinations.pop_back();
  EXPECT_EQ(nftlb::plan(nftlb::build_table({one}, kAll, table), table, true).ruleset_changes(), 0u);
}

TEST(NftLbTable, SourceHashUsesJhashOfTheClientAddress) {
  const ipvs::Table desired = {service("203.0.113.100", 53, "sh", {dest("198.51.100.11", 53)})};
  const auto text = nftlb::render_nft(nftlb::build_table(desired, kAll, {}));
  EXPECT_NE(text.find("meta mark set jhash ip saddr mod 1 seed 0x0"), std::string::npos) << text;
}

TEST(NftLbTable, SlotsShareEvenlyForAnySubsetOfLiveServers) {
  EXPECT_EQ(nftlb::slot_count(1, {}, false), 1u);
  EXPECT_EQ(nftlb::slot_count(2, {}, false), 2u);
  EXPECT_EQ(nftlb::slot_count(3, {}, false), 6u);
  EXPECT_EQ(nftlb::slot_count(4, {}, false), 12u);
  EXPECT_EQ(nftlb::slot_count(20, {}, false), 840u);
  // wrr: enough slots for the weights 3:1.
  EXPECT_EQ(nftlb::slot_count(2, {3, 1}, true), 4u);
}

TEST(NftLbTable, WeightedRoundRobinHonoursWeights) {
  const ipvs::Table desired = {service("203.0.113.100", 80, "wrr",
                                       {dest("198.51.100.11", 80, 3), dest("198.51.100.12", 80, 1)})};
  const auto table = nftlb::build_table(desired, kAll, {});
  ASSERT_EQ(table.services.size(), 1u);
  EXPECT_EQ(table.services[0].slots, 4u);
  EXPECT_EQ(shares(table.services[0]),
            (std::map<std::string, int>{{"198.51.100.11", 3}, {"198.51.100.12", 1}}));
}

TEST(NftLbTable, WeightZeroTakesNoNewFlows) {
  const ipvs::Table desired = {service("203.0.113.100", 80, "rr",
                                       {dest("198.51.100.11", 80, 1), dest("198.51.100.12", 80, 0)})};
  const auto table = nftlb::build_table(desired, kAll, {});
  ASSERT_EQ(table.services.size(), 1u);
  EXPECT_EQ(table.services[0].slots, 2u);  // both known: the slot count allows it back
  EXPECT_EQ(shares(table.services[0]), (std::map<std::string, int>{{"198.51.100.11", 2}}));
}

TEST(NftLbTable, NoLiveServerMeansNoSlots) {
  const ipvs::Table desired = {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80, 0)})};
  const auto table = nftlb::build_table(desired, kAll, {});
  ASSERT_EQ(table.services.size(), 1u);
  EXPECT_TRUE(table.services[0].slot_backend.empty());
  EXPECT_EQ(nftlb::render_nft(table).find("0x00000000 :"), std::string::npos);
}

TEST(NftLbTable, OnlyHeldVipsAreProgrammed) {
  const ipvs::Table desired = {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80)}),
                               service("203.0.113.101", 80, "rr", {dest("198.51.100.11", 80)})};
  HeldVips held;
  held.all = false;
  held.vips = {ip("203.0.113.101")};
  held.managed = {ip("203.0.113.100"), ip("203.0.113.101")};
  const auto table = nftlb::build_table(desired, held, {});
  ASSERT_EQ(table.services.size(), 1u);
  EXPECT_EQ(table.services[0].key.vip, ip("203.0.113.101"));
  // A VIP no VRRP instance manages (configured by hand) is always held.
  held.managed = {ip("203.0.113.101")};
  EXPECT_EQ(nftlb::build_table(desired, held, {}).services.size(), 2u);
}

TEST(NftLbPlan, FirstApplyCreatesTheTable) {
  const ipvs::Table desired = {service("203.0.113.100", 80, "rr",
                                       {dest("198.51.100.11", 80), dest("198.51.100.12", 80)})};
  const auto table = nftlb::build_table(desired, kAll, {});
  const auto changes = nftlb::plan(table, {}, false);
  EXPECT_TRUE(changes.create_table);
  EXPECT_EQ(changes.add_chains.size(), 1u);
  EXPECT_EQ(changes.add_services.size(), 1u);
  EXPECT_EQ(changes.add_backends.size(), 2u);
  // Applied: nothing more to do.
  EXPECT_TRUE(nftlb::plan(table, table, true).empty());
}

TEST(NftLbPlan, HealthChangeEditsOnlyMapElementsOfTheFailedServer) {
  std::vector<ipvs::Destination> four = {dest("198.51.100.11", 80), dest("198.51.100.12", 80),
                                         dest("198.51.100.13", 80), dest("198.51.100.14", 80)};
  const auto before = nftlb::build_table({service("203.0.113.100", 80, "rr", four)}, kAll, {});
  ASSERT_EQ(before.services[0].slots, 12u);
  auto three = four;
  three.erase(three.begin() + 1);  // .12 is down: the desired table drops it
  const auto after = nftlb::build_table({service("203.0.113.100", 80, "rr", three)}, kAll, before);
  EXPECT_EQ(after.services[0].slots, 12u);  // same rule
  EXPECT_EQ(shares(after.services[0]),
            (std::map<std::string, int>{
                {"198.51.100.11", 4}, {"198.51.100.13", 4}, {"198.51.100.14", 4}}));
  const auto changes = nftlb::plan(after, before, true);
  EXPECT_EQ(changes.ruleset_changes(), 0u);
  EXPECT_FALSE(changes.create_table);
  EXPECT_TRUE(changes.add_services.empty());
  EXPECT_TRUE(changes.remove_services.empty());
  // Only the three slots .12 held move; nobody else's flows are touched.
  EXPECT_EQ(changes.remove_backends.size(), 3u);
  EXPECT_EQ(changes.add_backends.size(), 3u);
  for (const auto& el : changes.remove_backends) EXPECT_EQ(el.backend.address, ip("198.51.100.12"));

  // Back up: again element edits only, and the even shares return.
  const auto healed = nftlb::build_table({service("203.0.113.100", 80, "rr", four)}, kAll, after);
  const auto back = nftlb::plan(healed, after, true);
  EXPECT_EQ(back.ruleset_changes(), 0u);
  EXPECT_EQ(shares(healed.services[0]),
            (std::map<std::string, int>{{"198.51.100.11", 3},
                                        {"198.51.100.12", 3},
                                        {"198.51.100.13", 3},
                                        {"198.51.100.14", 3}}));
  EXPECT_EQ(back.add_backends.size(), 3u);
}

TEST(NftLbPlan, ReloadAddsAndRemovesServicesByDifference) {
  const auto a = nftlb::build_table(
      {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80)}),
       service("203.0.113.100", 443, "rr", {dest("198.51.100.11", 443)})},
      kAll, {});
  const auto b = nftlb::build_table(
      {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80)}),
       service("203.0.113.100", 8080, "rr", {dest("198.51.100.11", 8080)})},
      kAll, a);
  const auto c = nftlb::plan(b, a, true);
  ASSERT_EQ(c.remove_chains.size(), 1u);
  EXPECT_EQ(c.remove_chains[0].port, 443);
  ASSERT_EQ(c.add_chains.size(), 1u);
  EXPECT_EQ(c.add_chains[0].key.port, 8080);
  EXPECT_EQ(c.remove_backends.size(), 1u);
  EXPECT_EQ(c.add_backends.size(), 1u);
}

TEST(NftLbPlan, ANewRealServerChangesTheSlotCountByReplacingTheChain) {
  const auto a = nftlb::build_table(
      {service("203.0.113.100", 80, "rr", {dest("198.51.100.11", 80), dest("198.51.100.12", 80)})},
      kAll, {});
  const auto b = nftlb::build_table(
      {service("203.0.113.100", 80, "rr",
               {dest("198.51.100.11", 80), dest("198.51.100.12", 80), dest("198.51.100.13", 80)})},
      kAll, a);
  EXPECT_EQ(b.services[0].slots, 6u);
  const auto c = nftlb::plan(b, a, true);
  EXPECT_EQ(c.remove_chains.size(), 1u);
  EXPECT_EQ(c.add_chains.size(), 1u);
  EXPECT_EQ(c.add_backends.size(), 6u);
}

TEST(BackendChoice, AutoPicksIpvsWhenTheKernelHasItElseNftables) {
  KernelFacts none;
  none.ipvs_genl = false;
  none.ipvs_error = "no IPVS";
  auto c = choose_backend(config::LbBackend::Auto, std::nullopt, none);
  EXPECT_EQ(c.backend, Backend::Nftables);
  EXPECT_NE(c.reason.find("no IPVS"), std::string::npos);
  KernelFacts proc;
  proc.proc_ip_vs = true;
  EXPECT_EQ(choose_backend(config::LbBackend::Auto, std::nullopt, proc).backend, Backend::Ipvs);
  KernelFacts genl;
  genl.ipvs_genl = true;
  EXPECT_EQ(choose_backend(config::LbBackend::Auto, std::nullopt, genl).backend, Backend::Ipvs);
  // The command line wins over global_defs.
  EXPECT_EQ(choose_backend(config::LbBackend::Ipvs, config::LbBackend::Nftables, genl).backend,
            Backend::Nftables);
  EXPECT_EQ(choose_backend(config::LbBackend::Nftables, std::nullopt, genl).backend,
            Backend::Nftables);
  EXPECT_EQ(parse_lb_backend("nftables"), config::LbBackend::Nftables);
  EXPECT_FALSE(parse_lb_backend("iptables").has_value());
}

config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources reader;
  return config::parse_config(text, "test.conf", reader);
}

TEST(NftSupport, LbBackendKeywordIsParsedAndBadValuesRefused) {
  auto ok = parse("global_defs {\n  lb_backend nftables\n}\n");
  EXPECT_FALSE(conf::has_errors(ok.diags));
  EXPECT_EQ(ok.config.global.lb_backend, config::LbBackend::Nftables);
  auto bad = parse("global_defs {\n  lb_backend iptables\n}\n");
  ASSERT_TRUE(conf::has_errors(bad.diags));
  EXPECT_NE(conf::format(bad.diags[0]).find("test.conf:2:14"), std::string::npos)
      << conf::format(bad.diags[0]);
}

TEST(NftSupport, RefusesWhatNftablesCannotExpressWithFileLineColumn) {
  auto parsed = parse(
      "virtual_server 203.0.113.100 80 {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n"
      "  real_server 198.51.100.11 80 {\n  }\n}\n"
      "virtual_server 203.0.113.100 81 {\n  lb_algo rr\n  lb_kind TUN\n  protocol TCP\n"
      "  real_server 198.51.100.11 81 {\n  }\n}\n"
      "virtual_server 203.0.113.100 82 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
      "  persistence_timeout 50\n  persistence_granularity 255.255.255.0\n"
      "  real_server 198.51.100.11 82 {\n  }\n}\n");
  ASSERT_FALSE(conf::has_errors(parsed.diags));
  const auto diags = nftables_diagnostics(parsed.config);
  std::vector<std::string> text;
  for (const auto& d : diags) text.push_back(conf::format(d));
  ASSERT_EQ(diags.size(), 3u) << ::testing::PrintToString(text);
  EXPECT_EQ(diags[0].severity, conf::Severity::Error);
  EXPECT_NE(text[0].find("test.conf:1:1"), std::string::npos) << text[0];
  EXPECT_NE(text[0].find("scheduler 'wlc'"), std::string::npos) << text[0];
  EXPECT_NE(text[1].find("test.conf:8:1"), std::string::npos) << text[1];
  EXPECT_NE(text[1].find("TUN"), std::string::npos) << text[1];
  EXPECT_EQ(diags[2].severity, conf::Severity::Error);
  EXPECT_NE(text[2].find("persistence_granularity"), std::string::npos) << text[2];
}

}  // namespace
}  // namespace lvsctl::director::datapath
