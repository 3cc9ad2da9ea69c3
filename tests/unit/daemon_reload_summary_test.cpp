// The reload summary line: what a reload changed, by name, with source positions ignored.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/reload_summary.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& text) {
  conf::MemorySources files;
  auto parsed = config::parse_config(text, "test.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags)) << text;
  return parsed.config;
}

std::string instance(const std::string& name, int vrid, int priority,
                     const std::string& iface = "eth0") {
  return "vrrp_instance " + name + " {\n    interface " + iface + "\n    virtual_router_id " +
         std::to_string(vrid) + "\n    priority " + std::to_string(priority) +
         "\n    virtual_ipaddress {\n        203.0.113." + std::to_string(vrid) + "\n    }\n}\n";
}

std::string service(const std::string& vip, const std::string& scheduler,
                    const std::string& real_servers) {
  return "virtual_server " + vip + " 80 {\n    lb_algo " + scheduler +
         "\n    lb_kind NAT\n    protocol TCP\n" + real_servers + "}\n";
}

std::string real(const std::string& address, int weight) {
  return "    real_server " + address + " 80 {\n        weight " + std::to_string(weight) +
         "\n        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n";
}

TEST(ReloadSummary, NothingChangedEvenWhenBlocksMoved) {
  const auto a = parse(instance("VI_1", 51, 100) + "\n\n" +
                       service("203.0.113.80", "rr", real("198.51.100.1", 1)));
  const auto b =
      parse(service("203.0.113.80", "rr", real("198.51.100.1", 1)) + instance("VI_1", 51, 100));
  const auto s = summarize_reload(a, b);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(to_text(s), "no changes to VRRP instances, virtual servers or real servers");
}

TEST(ReloadSummary, InstancesAddedRemovedUpdatedRestarted) {
  const auto a =
      parse(instance("VI_1", 51, 100) + instance("VI_2", 52, 100) + instance("VI_3", 53, 100));
  const auto b = parse(instance("VI_1", 51, 150) + instance("VI_2", 52, 100, "eth1") +
                       instance("VI_4", 54, 100));
  const auto s = summarize_reload(a, b);
  EXPECT_EQ(s.instances_updated, std::vector<std::string>{"VI_1"});
  EXPECT_EQ(s.instances_restarted, std::vector<std::string>{"VI_2"});
  EXPECT_EQ(s.instances_removed, std::vector<std::string>{"VI_3"});
  EXPECT_EQ(s.instances_added, std::vector<std::string>{"VI_4"});
  EXPECT_EQ(to_text(s),
            "VRRP instances: 1 added (VI_4), 1 removed (VI_3), 1 updated in place (VI_1), 1 "
            "restarted (VI_2)");
}

TEST(ReloadSummary, VirtualAndRealServers) {
  const auto a =
      parse(service("203.0.113.80", "rr", real("198.51.100.1", 1) + real("198.51.100.2", 1)) +
            service("203.0.113.81", "rr", real("198.51.100.1", 1)));
  const auto b =
      parse(service("203.0.113.80", "wrr", real("198.51.100.1", 5) + real("198.51.100.3", 1)) +
            service("203.0.113.82", "rr", real("198.51.100.1", 1)));
  const auto s = summarize_reload(a, b);
  EXPECT_EQ(s.virtual_servers_added, std::vector<std::string>{"203.0.113.82:80 TCP"});
  EXPECT_EQ(s.virtual_servers_removed, std::vector<std::string>{"203.0.113.81:80 TCP"});
  EXPECT_EQ(s.virtual_servers_changed, std::vector<std::string>{"203.0.113.80:80 TCP"});
  EXPECT_EQ(s.real_servers_added,
            std::vector<std::string>{"203.0.113.80:80 TCP / 198.51.100.3:80"});
  EXPECT_EQ(s.real_servers_removed,
            std::vector<std::string>{"203.0.113.80:80 TCP / 198.51.100.2:80"});
  EXPECT_EQ(s.real_servers_changed,
            std::vector<std::string>{"203.0.113.80:80 TCP / 198.51.100.1:80"});
  EXPECT_EQ(to_text(s),
            "virtual servers: 1 added (203.0.113.82:80 TCP), 1 removed (203.0.113.81:80 TCP), 1 "
            "changed (203.0.113.80:80 TCP); real servers: 1 added (203.0.113.80:80 TCP / "
            "198.51.100.3:80), 1 removed (203.0.113.80:80 TCP / 198.51.100.2:80), 1 changed "
            "(203.0.113.80:80 TCP / 198.51.100.1:80)");
}

TEST(ReloadSummary, CheckerChangeIsARealServerChange) {
  const auto a = parse(service("203.0.113.80", "rr", real("198.51.100.1", 1)));
  std::string other = real("198.51.100.1", 1);
  other.replace(other.find("connect_timeout 3"), 17, "connect_timeout 4");
  const auto b = parse(service("203.0.113.80", "rr", other));
  const auto s = summarize_reload(a, b);
  EXPECT_TRUE(s.virtual_servers_changed.empty());
  EXPECT_EQ(s.real_servers_changed,
            std::vector<std::string>{"203.0.113.80:80 TCP / 198.51.100.1:80"});
}

TEST(ReloadSummary, LongListsAreCapped) {
  std::string before, after;
  for (int i = 1; i <= 8; ++i) after += instance("VI_" + std::to_string(i), 50 + i, 100);
  const auto s = summarize_reload(parse(before), parse(after));
  EXPECT_EQ(to_text(s), "VRRP instances: 8 added (VI_1, VI_2, VI_3, VI_4, VI_5 and 3 more)");
}

}  // namespace
}  // namespace lvsctl::director
