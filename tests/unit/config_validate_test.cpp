// Cross-element validation of a built configuration.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "v.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::string instance(const std::string& name, int vrid, const std::string& vip,
                     const std::string& extra = "", const std::string& iface = "eth0") {
  return "vrrp_instance " + name + " {\n    interface " + iface + "\n    virtual_router_id " +
         std::to_string(vrid) + "\n" + extra + "    virtual_ipaddress {\n        " + vip +
         "\n    }\n}\n";
}

TEST(ConfigValidate, SameVridOnOneInterfaceIsAnError) {
  auto p = parse(instance("A", 10, "203.0.113.1") + instance("B", 10, "203.0.113.2"));
  EXPECT_THAT(all(p.diags), HasSubstr("v.conf:8:1: error: vrrp_instance B uses VRID 10 on eth0 "
                                      "like vrrp_instance A"));
}

TEST(ConfigValidate, SameVridOnDifferentInterfacesIsFine) {
  auto p = parse(instance("A", 10, "203.0.113.1") + instance("B", 10, "203.0.113.2", "", "eth1"));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
}

TEST(ConfigValidate, SameVridWithDisjointUnicastPeersIsFine) {
  auto p = parse(instance("A", 10, "203.0.113.1", "    unicast_peer {\n 203.0.113.50\n }\n") +
                 instance("B", 10, "203.0.113.2", "    unicast_peer {\n 203.0.113.51\n }\n"));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
}

TEST(ConfigValidate, OneVipInTwoInstancesIsAnError) {
  auto p = parse(instance("A", 10, "203.0.113.1") + instance("B", 11, "203.0.113.1/24"));
  EXPECT_THAT(all(p.diags), HasSubstr("v.conf:12:9: error: 203.0.113.1 is a virtual address of "
                                      "both vrrp_instance A and vrrp_instance B"));
}

TEST(ConfigValidate, MissingVridAndInterface) {
  auto p = parse("vrrp_instance A {\n  virtual_ipaddress {\n    203.0.113.1\n  }\n}\n");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("v.conf:1:1: error: vrrp_instance A has no virtual_router_id"));
  EXPECT_THAT(d, HasSubstr("v.conf:1:1: error: vrrp_instance A has no 'interface'"));
}

TEST(ConfigValidate, UnicastWithSourceMayOmitInterface) {
  auto p = parse(R"(vrrp_instance A {
    virtual_router_id 3
    unicast_src_ip 203.0.113.4
    unicast_peer {
        203.0.113.5
    }
    virtual_ipaddress { 203.0.113.1 }
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
}

TEST(ConfigValidate, Ipv6NeedsVersion3AndV3NeedsAVip) {
  auto p = parse(instance("A", 1, "2001:db8::1") +
                 "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 3\n}\n");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("vrrp_instance A has IPv6 addresses but VRRP version 2"));
  EXPECT_THAT(d, HasSubstr("vrrp_instance B has no virtual_ipaddress; VRRPv3 needs at least one"));
}

TEST(ConfigValidate, FractionalAdvertIntNeedsVersion3) {
  auto p = parse(instance("A", 1, "203.0.113.1", "    advert_int 0.5\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("VRRPv2 advert_int must be whole seconds (got 0.5)"));
  auto ok = parse(instance("A", 1, "203.0.113.1", "    advert_int 0.5\n    version 3\n"));
  EXPECT_FALSE(conf::has_errors(ok.diags)) << all(ok.diags);
}

TEST(ConfigValidate, UnknownTrackScriptAndUnusedScript) {
  auto p =
      parse("vrrp_script used_nowhere {\n  script /bin/true\n}\n" +
            instance("A", 1, "203.0.113.1", "    track_script {\n        chk_missing\n    }\n"));
  const std::string d = all(p.diags);
  // keepalived 2.2.7 ignores it ("(A) track script chk_missing not found, ignoring..."): a
  // warning, and the line is dropped (config_dropin_test has the details).
  EXPECT_THAT(d, HasSubstr("v.conf:8:9: warning: vrrp_instance A tracks script 'chk_missing', "
                           "but no vrrp_script has that name; ignored"));
  EXPECT_THAT(d, HasSubstr("v.conf:1:1: warning: vrrp_script used_nowhere is not tracked"));
}

TEST(ConfigValidate, SyncGroupMembers) {
  auto p = parse(instance("A", 1, "203.0.113.1") + instance("B", 2, "203.0.113.2") + R"(
vrrp_sync_group G1 {
    group {
        A
        GHOST
    }
}
vrrp_sync_group G2 {
    group {
        A
        B
    }
}
)");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("v.conf:19:9: error: vrrp_sync_group G1 lists 'GHOST', but no "
                           "vrrp_instance has that name"));
  EXPECT_THAT(d, HasSubstr("v.conf:24:9: error: vrrp_instance A is in both vrrp_sync_group G1 "
                           "and G2"));
}

TEST(ConfigValidate, DuplicateInstanceNames) {
  auto p = parse(instance("A", 1, "203.0.113.1") + instance("A", 2, "203.0.113.2"));
  EXPECT_THAT(all(p.diags), HasSubstr("v.conf:8:1: error: vrrp_instance A is defined twice"));
}

const char* kDr = R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    lvs_method DR
    protocol TCP
    real_server 203.0.113.101 8080 {
        TCP_CHECK {
        }
    }
    real_server 203.0.113.102 80 {
    }
    real_server 203.0.113.102 80 {
    }
}
)";

TEST(ConfigValidate, DrRealServerPortIsResetAndDuplicatesAreErrors) {
  auto p = parse(kDr);
  const std::string d = all(p.diags);
  // keepalived 2.2.7: "ports don't match - resetting" (a warning; the service port is used).
  EXPECT_THAT(d, HasSubstr("v.conf:5:5: warning: virtual_server 203.0.113.100:80 and real_server "
                           "203.0.113.101 ports don't match - resetting to 80"));
  EXPECT_EQ(p.config.virtual_servers.at(0).real_servers.at(0).port, 80);
  EXPECT_THAT(d, HasSubstr("v.conf:11:5: error: virtual_server 203.0.113.100:80: real_server "
                           "203.0.113.102:80 is listed twice"));
}

TEST(ConfigValidate, NatRealServerMayUseAnotherPort) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 203.0.113.101 8080 {
    }
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
}

TEST(ConfigValidate, VirtualServerWithoutRealServers) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    protocol TCP
}
virtual_server 203.0.113.100 81 {
    lvs_sched rr
    protocol TCP
    sorry_server 203.0.113.200 81
})");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("v.conf:1:1: error: virtual_server 203.0.113.100:80 has no "
                           "real_server"));
  EXPECT_THAT(d, HasSubstr("v.conf:5:1: warning: virtual_server 203.0.113.100:81 has no "
                           "real_server; only its sorry_server"));
}

TEST(ConfigValidate, DuplicateServicesUnknownGroupsAndFamilies) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    protocol TCP
    real_server 203.0.113.1 80 {
    }
}
virtual_server 203.0.113.100 80 {
    lvs_sched rr
    protocol TCP
    real_server 2001:db8::1 80 {
    }
}
virtual_server 203.0.113.100 80 {
    lvs_sched rr
    protocol UDP
    real_server 203.0.113.1 80 {
    }
}
virtual_server group NOPE {
    lvs_sched rr
    protocol TCP
    real_server 203.0.113.1 80 {
    }
})");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("v.conf:7:1: error: virtual_server 203.0.113.100:80 is defined twice"));
  EXPECT_THAT(d, Not(HasSubstr("v.conf:13:1: error: virtual_server 203.0.113.100:80 is defined")))
      << "the same address and port over UDP is another service";
  EXPECT_THAT(d, HasSubstr("v.conf:10:5: error: virtual_server 203.0.113.100:80: real_server "
                           "2001:db8::1 is not of the service's address family"));
  EXPECT_THAT(d, HasSubstr("v.conf:19:1: error: virtual_server group NOPE: no "
                           "virtual_server_group has that name"));
}

TEST(ConfigValidate, CheckerWithoutAnyPort) {
  auto p = parse(R"(virtual_server fwmark 1 {
    lvs_sched rr
    lvs_method DR
    real_server 203.0.113.1 {
        TCP_CHECK {
        }
    }
})");
  EXPECT_THAT(all(p.diags), HasSubstr("v.conf:5:9: error: TCP_CHECK of real_server 203.0.113.1 "
                                      "has no port to connect to"));
}

TEST(ConfigValidate, QuorumAboveTotalWeightIsAWarning) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    quorum 5
    real_server 203.0.113.1 80 {
        weight 2
    }
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("quorum 5 exceeds the total weight 2"));
}

TEST(ConfigValidate, AllProblemsAreCollected) {
  auto p = parse(instance("A", 10, "203.0.113.1") + instance("B", 10, "203.0.113.1") + kDr);
  std::size_t errors = 0;
  for (const auto& d : p.diags) errors += d.severity == conf::Severity::Error ? 1 : 0;
  EXPECT_EQ(errors, 3U) << all(p.diags);  // the DR port mismatch is a warning
}

}  // namespace
}  // namespace lvsctl::director::config
