// use_vmac / vmac_xmit_base (vrrp_instance) and vrrp_strict (global_defs) as keepalived 2.2.7
// reads them (its behaviour observed with keepalived 2.2.7 itself; keepalived.conf(5)), and the
// VMAC's name and MAC (RFC 5798 7.3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "director/config/load.hpp"
#include "director/daemon/vmac_link.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::string instance(const std::string& body, const std::string& vips = "203.0.113.10") {
  return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
         "    virtual_ipaddress {\n        " +
         vips + "\n    }\n" + body + "}\n";
}

TEST(ConfigVmac, UseVmacDefaultsToVrrpDotVrid) {
  auto p = parse(instance("    use_vmac\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_EQ(p.config.vrrp_instances.size(), 1u);
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_TRUE(vi.use_vmac);
  EXPECT_EQ(vi.vmac_name, "vrrp.51");
  EXPECT_FALSE(vi.vmac_xmit_base);
}

TEST(ConfigVmac, UseVmacWithNameAndXmitBase) {
  auto p = parse(instance("    use_vmac vmac51\n    vmac_xmit_base\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.vmac_name, "vmac51");
  EXPECT_TRUE(vi.vmac_xmit_base);
  EXPECT_FALSE(director::advertises_from_vmac(vi));
}

TEST(ConfigVmac, BadNamesAreErrorsAtTheirColumn) {
  auto p = parse(instance("    use_vmac a_name_far_too_long\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:14: error: use_vmac: 'a_name_far_too_long' is "
                                      "not a valid interface name"));
  p = parse(instance("    use_vmac x/y\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:14: error: use_vmac: 'x/y'"));
  p = parse(instance("    use_vmac a b\n"));
  EXPECT_TRUE(conf::has_errors(p.diags));
  p = parse(instance("    use_vmac eth0\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: error: vrrp_instance VI_1: the use_vmac "
                                      "interface 'eth0' is the instance's own interface"));
  p = parse(instance("    vmac_xmit_base yes\n"));
  EXPECT_TRUE(conf::has_errors(p.diags));
}

TEST(ConfigVmac, XmitBaseWithoutUseVmacIsIgnoredWithAWarning) {
  auto p = parse(instance("    vmac_xmit_base\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: vrrp_instance VI_1: vmac_xmit_base "
                                      "without use_vmac is ignored"));
  EXPECT_FALSE(p.config.vrrp_instances.at(0).vmac_xmit_base);
}

TEST(ConfigVmac, VirtualMacFollowsTheVridAndFamily) {
  auto p = parse(instance("    use_vmac\n"));
  auto spec = director::vmac_spec(p.config.vrrp_instances.at(0), 7);
  EXPECT_EQ(spec.name, "vrrp.51");
  EXPECT_EQ(spec.parent_ifindex, 7);
  EXPECT_EQ(netlink::to_string(spec.mac), "00:00:5e:00:01:33");
  EXPECT_TRUE(spec.no_ipv6_link_local);
  EXPECT_TRUE(director::advertises_from_vmac(p.config.vrrp_instances.at(0)));
  p = parse("global_defs {\n    vrrp_version 3\n}\n" +
            instance("    use_vmac\n", "2001:db8::10/64"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  spec = director::vmac_spec(p.config.vrrp_instances.at(0), 7);
  EXPECT_EQ(netlink::to_string(spec.mac), "00:00:5e:00:02:33");
  EXPECT_TRUE(spec.no_ipv6_link_local);
  EXPECT_TRUE(director::advertises_from_vmac(p.config.vrrp_instances.at(0)));
  EXPECT_EQ(netlink::to_string(director::vrrp_virtual_mac(255, false)), "00:00:5e:00:01:ff");
}

// keepalived 2.2.7 gives an IPv6 VMAC the adverts' source (its parent's link-local) as a /64 and
// advertises from it; IPv4 VMACs get no address of their own, nor does one with vmac_xmit_base.
TEST(ConfigVmac, Ipv6VmacGetsTheAdvertSourceAsASlash64) {
  const auto ll = *IpAddress::parse("fe80::1:2ff:fe03:405");
  auto p = parse("global_defs {\n    vrrp_version 3\n}\n" +
                 instance("    use_vmac\n", "2001:db8::10/64"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  auto a = director::vmac_source_address(p.config.vrrp_instances.at(0), ll, 9);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->address, ll);
  EXPECT_EQ(a->prefix_len, 64);
  EXPECT_EQ(a->ifindex, 9);
  p = parse("global_defs {\n    vrrp_version 3\n}\n" +
            instance("    use_vmac\n    vmac_xmit_base\n", "2001:db8::10/64"));
  EXPECT_FALSE(director::vmac_source_address(p.config.vrrp_instances.at(0), ll, 9));
  p = parse(instance("    use_vmac\n"));
  EXPECT_FALSE(director::vmac_source_address(p.config.vrrp_instances.at(0),
                                             *IpAddress::parse("203.0.113.4"), 9));
}

// ---- vrrp_strict -------------------------------------------------------------------------------

const char* kStrict = "global_defs {\n    vrrp_strict\n}\n";

TEST(ConfigVrrpStrict, AuthenticationIsIgnoredWithAWarning) {
  auto p = parse(std::string(kStrict) +
                 instance("    authentication {\n        auth_type PASS\n        auth_pass x\n"
                          "    }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:4:1: warning: vrrp_instance VI_1: vrrp_strict "
                                      "does not allow authentication; ignored"));
  EXPECT_EQ(p.config.vrrp_instances.at(0).auth_type, AuthType::None);
}

TEST(ConfigVrrpStrict, AcceptWithVersion2IsReset) {
  auto p = parse(std::string(kStrict) + instance("    accept\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("'accept' does not comply with VRRPv2 (RFC 3768); reset to "
                                      "no_accept"));
  EXPECT_FALSE(p.config.vrrp_instances.at(0).accept);
}

TEST(ConfigVrrpStrict, TheTrapIsSaidPerInstance) {
  auto p = parse(std::string(kStrict) + instance(""));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:4:1: warning: vrrp_instance VI_1: with "
                                      "vrrp_strict (line 2) all traffic to and from this "
                                      "instance's VIPs is dropped while it is MASTER"));
  EXPECT_FALSE(p.config.vrrp_instances.at(0).accept);
  // VRRPv3 with an explicit accept: keepalived does not drop; no trap to report.
  p = parse(std::string(kStrict) + instance("    version 3\n    accept\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("is dropped while it is MASTER")));
  EXPECT_TRUE(p.config.vrrp_instances.at(0).accept);
}

TEST(ConfigVrrpStrict, NoVipsIsAnError) {
  auto p = parse(std::string(kStrict) +
                 "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("vrrp_strict needs at least one address"));
}

TEST(ConfigVrrpStrict, WithoutVrrpStrictNothingChanges) {
  auto p = parse(instance("    authentication {\n        auth_type PASS\n        auth_pass x\n"
                          "    }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("vrrp_strict")));
  EXPECT_EQ(p.config.vrrp_instances.at(0).auth_type, AuthType::Pass);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).accept);
}

// ---- strict_mode (vrrp_instance) -----------------------------------------------------------
// keepalived 2.2.7: an instance's strict_mode (on when given without a value) replaces global
// vrrp_strict for it; everything vrrp_strict does is per instance.

TEST(ConfigStrictMode, WithoutValueItIsOnWithoutGlobalVrrpStrict) {
  auto p = parse(instance("    strict_mode\n    authentication {\n        auth_type PASS\n"
                          "        auth_pass x\n    }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_TRUE(vi.strict_mode);
  EXPECT_FALSE(vi.accept);
  EXPECT_EQ(vi.auth_type, AuthType::None);
  EXPECT_EQ(vi.garp_lower_prio_repeat, 0u);
  EXPECT_EQ(vi.garp_lower_prio_delay, Duration{0});
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: vrrp_instance VI_1: strict_mode "
                                      "does not allow authentication; ignored"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: vrrp_instance VI_1: with "
                                      "strict_mode (line 7) all traffic to and from this "
                                      "instance's VIPs is dropped while it is MASTER"));
}

TEST(ConfigStrictMode, OffUnderGlobalVrrpStrictIsNotStrict) {
  auto p = parse(std::string(kStrict) +
                 instance("    strict_mode off\n    authentication {\n        auth_type PASS\n"
                          "        auth_pass x\n    }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_FALSE(vi.strict_mode);
  EXPECT_TRUE(vi.accept);
  EXPECT_EQ(vi.auth_type, AuthType::Pass);
  EXPECT_EQ(vi.garp_lower_prio_repeat, 5u);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("is dropped while it is MASTER")));
  // Without VIPs: keepalived refuses a strict instance only.
  p = parse(std::string(kStrict) + "vrrp_instance VI_1 {\n    interface eth0\n"
                                   "    virtual_router_id 51\n    strict_mode no\n}\n");
  EXPECT_THAT(all(p.diags), Not(HasSubstr("needs at least one address")));
  p = parse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
            "    strict_mode\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("error: vrrp_instance VI_1: strict_mode needs at least one "
                                      "address"));
}

TEST(ConfigStrictMode, TakesKeepalivedsWords) {
  for (const char* on : {"on", "true", "yes"}) {
    auto p = parse(instance(std::string("    strict_mode ") + on + "\n"));
    ASSERT_FALSE(conf::has_errors(p.diags)) << on << all(p.diags);
    EXPECT_TRUE(p.config.vrrp_instances.at(0).strict_mode) << on;
  }
  for (const char* off : {"off", "false", "no"}) {
    auto p = parse(std::string(kStrict) + instance(std::string("    strict_mode ") + off + "\n"));
    ASSERT_FALSE(conf::has_errors(p.diags)) << off << all(p.diags);
    EXPECT_FALSE(p.config.vrrp_instances.at(0).strict_mode) << off;
    EXPECT_TRUE(p.config.vrrp_instances.at(0).accept) << off;
  }
  // keepalived compares lower-case words exactly ("invalid strict_mode ... specified").
  auto p = parse(instance("    strict_mode maybe\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:17: error: strict_mode: 'maybe' is not one "
                                      "of on, off, true, false, yes, no"));
  p = parse(instance("    strict_mode On\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:17: error: strict_mode: 'On'"));
  p = parse(instance("    strict_mode on off\n"));
  EXPECT_TRUE(conf::has_errors(p.diags));
}

TEST(ConfigStrictMode, VersionTwoAcceptIsResetVersionThreeAcceptKept) {
  auto p = parse(instance("    strict_mode on\n    accept\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("strict_mode: 'accept' does not comply with VRRPv2"));
  EXPECT_FALSE(p.config.vrrp_instances.at(0).accept);
  p = parse(instance("    strict_mode on\n    version 3\n    accept\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).accept);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("is dropped while it is MASTER")));
}

// keepalived 2.2.7 (vrrp.c): a strict instance's state follows from being the address owner,
// and it has no preempt_delay nor vmac_xmit_base.
TEST(ConfigStrictMode, StateFollowsOwnershipNoPreemptDelayNoXmitBase) {
  auto p = parse(instance("    strict_mode\n    state MASTER\n    priority 150\n"
                          "    preempt_delay 5\n    use_vmac\n    vmac_xmit_base\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.state, VrrpState::Backup);
  EXPECT_EQ(vi.preempt_delay, Duration{0});
  EXPECT_FALSE(vi.vmac_xmit_base);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: vrrp_instance VI_1: strict_mode: "
                                      "state MASTER must match being the address owner"));
  EXPECT_THAT(all(p.diags), HasSubstr("strict_mode: preempt_delay is not allowed; reset to 0"));
  EXPECT_THAT(all(p.diags), HasSubstr("strict_mode: vmac_xmit_base is not allowed"));
  p = parse(std::string(kStrict) + instance("    state BACKUP\n    priority 255\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances.at(0).state, VrrpState::Master);
  EXPECT_THAT(all(p.diags), HasSubstr("vrrp_strict: state BACKUP must match being the address "
                                      "owner (priority 255); starts as MASTER"));
  // Not strict: all kept (preempt_delay needs state BACKUP anyway).
  p = parse(std::string(kStrict) +
            instance("    strict_mode off\n    state MASTER\n    priority 150\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances.at(0).state, VrrpState::Master);
  p = parse(std::string(kStrict) +
            instance("    strict_mode off\n    state BACKUP\n    preempt_delay 5\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances.at(0).preempt_delay, std::chrono::seconds(5));
}

TEST(ConfigStrictMode, TheAddressOwnerKeepsAcceptMode) {
  // keepalived: accept defaults to on for priority 255, strict or not; no VIP filter for it.
  auto p = parse(instance("    strict_mode\n    priority 255\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).strict_mode);
  EXPECT_TRUE(p.config.vrrp_instances.at(0).accept);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("is dropped while it is MASTER")));
}

}  // namespace
}  // namespace lvsctl::director::config
