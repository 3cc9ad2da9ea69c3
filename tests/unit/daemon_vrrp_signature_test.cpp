// vrrp_signature decides which instances a reload keeps running untouched: everything a running
// instance started with must be in it.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/vrrp_signature.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

std::string signature(const std::string& global, const std::string& script) {
  conf::MemorySources files;
  const std::string text = "global_defs {\n" + global + "\n}\nvrrp_script chk {\n    script \"" +
                           script +
                           "\"\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                           "    track_script {\n        chk\n    }\n    virtual_ipaddress {\n"
                           "        203.0.113.10\n    }\n}\n";
  auto parsed = config::parse_config(text, "test.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return vrrp_signature(parsed.config, parsed.config.vrrp_instances.at(0));
}

TEST(VrrpSignature, SameConfigSameSignature) {
  EXPECT_EQ(signature("router_id a", "/bin/true"), signature("router_id a", "/bin/true"));
}

TEST(VrrpSignature, TrackedScriptCommandChangesIt) {
  EXPECT_NE(signature("router_id a", "/bin/true"), signature("router_id a", "/bin/false"));
}

TEST(VrrpSignature, ScriptSecuritySettingsChangeIt) {
  const auto base = signature("router_id a", "/bin/true");
  EXPECT_NE(base, signature("router_id a\n    enable_script_security", "/bin/true"));
  EXPECT_NE(base, signature("router_id a\n    script_user nobody", "/bin/true"));
}

}  // namespace
}  // namespace lvsctl::director

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& instance_body, const std::string& extra = "") {
  conf::MemorySources files;
  const std::string text =
      "vrrp_script chk {\n    script \"/bin/true\"\n    weight -20\n}\n" + extra +
      "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n" + instance_body +
      "    virtual_ipaddress {\n        203.0.113.10\n    }\n}\n";
  auto parsed = config::parse_config(text, "test.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags)) << text;
  return parsed.config;
}

VrrpReload classify(const std::string& before, const std::string& after) {
  const auto a = parse(before);
  const auto b = parse(after);
  return classify_vrrp_reload(a, a.vrrp_instances.at(0), b, b.vrrp_instances.at(0));
}

const std::string kBase = "    priority 100\n    advert_int 1\n";

TEST(VrrpReloadKind, IdenticalIsSame) { EXPECT_EQ(classify(kBase, kBase), VrrpReload::same); }

TEST(VrrpReloadKind, PriorityIsUpdatedInPlace) {
  EXPECT_EQ(classify(kBase, "    priority 110\n    advert_int 1\n"), VrrpReload::update);
}

TEST(VrrpReloadKind, PriorityToOrFromOwnerRestarts) {
  EXPECT_EQ(classify(kBase, "    priority 255\n    advert_int 1\n"), VrrpReload::restart);
  EXPECT_EQ(classify("    priority 255\n", "    priority 254\n"), VrrpReload::restart);
}

TEST(VrrpReloadKind, AdvertAndPreemptSettingsAreUpdatedInPlace) {
  EXPECT_EQ(classify(kBase, kBase + "    advert_int 2\n"), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    nopreempt\n    state BACKUP\n"), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    state MASTER\n"), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    preempt_delay 5\n"), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    garp_master_delay 1\n"), VrrpReload::update);
}

TEST(VrrpReloadKind, TrackingWeightsAndNotifyAreUpdatedInPlace) {
  const std::string tracked = kBase +
                              "    track_interface {\n        eth1 weight -10\n    }\n"
                              "    track_script {\n        chk\n    }\n";
  const std::string reweighted = kBase +
                                 "    track_interface {\n        eth1 weight -30\n    }\n"
                                 "    track_script {\n        chk weight -40\n    }\n";
  EXPECT_EQ(classify(tracked, reweighted), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    notify_master /bin/true\n"), VrrpReload::update);
  EXPECT_EQ(classify(kBase, kBase + "    notify \"/bin/echo x\"\n"), VrrpReload::update);
}

TEST(VrrpReloadKind, IdentityAndTrackedSetsRestart) {
  EXPECT_EQ(classify(kBase, kBase + "    virtual_router_id 52\n"), VrrpReload::restart);
  EXPECT_EQ(classify(kBase, kBase + "    interface eth1\n"), VrrpReload::restart);
  EXPECT_EQ(classify(kBase, kBase + "    authentication {\n        auth_type PASS\n"
                                    "        auth_pass secret\n    }\n"),
            VrrpReload::restart);
  EXPECT_EQ(classify(kBase, kBase + "    track_interface {\n        eth1\n    }\n"),
            VrrpReload::restart);
  EXPECT_EQ(classify(kBase, kBase + "    unicast_peer {\n        203.0.113.2\n    }\n"),
            VrrpReload::restart);
}

TEST(VrrpReloadKind, VipChangeRestarts) {
  const auto a = parse(kBase);
  auto b = parse(kBase);
  b.vrrp_instances.at(0).virtual_ipaddress.at(0).label = "eth0:1";
  EXPECT_EQ(classify_vrrp_reload(a, a.vrrp_instances.at(0), b, b.vrrp_instances.at(0)),
            VrrpReload::restart);
}

config::Config parse_vips(const std::string& vips, const std::string& excluded = "") {
  conf::MemorySources files;
  std::string text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                     "    version 3\n    virtual_ipaddress {\n" + vips + "    }\n";
  if (!excluded.empty()) text += "    virtual_ipaddress_excluded {\n" + excluded + "    }\n";
  text += "}\n";
  auto parsed = config::parse_config(text, "test.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags)) << text;
  return parsed.config;
}

VrrpReload classify_vips(const std::string& before, const std::string& after,
                         const std::string& excluded_before = "",
                         const std::string& excluded_after = "") {
  const auto a = parse_vips(before, excluded_before);
  const auto b = parse_vips(after, excluded_after);
  return classify_vrrp_reload(a, a.vrrp_instances.at(0), b, b.vrrp_instances.at(0));
}

const std::string kVip = "        203.0.113.10\n";
const std::string kVip2 = "        203.0.113.11\n";

TEST(VrrpReloadKind, VipAddedOrRemovedIsUpdatedInPlace) {
  EXPECT_EQ(classify_vips(kVip, kVip), VrrpReload::same);
  EXPECT_EQ(classify_vips(kVip, kVip + kVip2), VrrpReload::update);
  EXPECT_EQ(classify_vips(kVip + kVip2, kVip), VrrpReload::update);
  EXPECT_EQ(classify_vips(kVip, kVip2), VrrpReload::update);  // one out, another in
  EXPECT_EQ(classify_vips(kVip + kVip2, kVip2 + kVip), VrrpReload::update);  // advert order
  EXPECT_EQ(classify_vips(kVip, kVip + "        203.0.113.12/24 dev eth1 label eth1:1\n"),
            VrrpReload::update);
  EXPECT_EQ(classify_vips(kVip, kVip, "", kVip2), VrrpReload::update);  // excluded ones too
  EXPECT_EQ(classify_vips(kVip, kVip, kVip2, ""), VrrpReload::update);
}

TEST(VrrpReloadKind, VipFamilyChangeRestarts) {
  const std::string v6 = "        2001:db8::10\n";
  EXPECT_EQ(classify_vips(kVip, v6), VrrpReload::restart);
  EXPECT_EQ(classify_vips(v6, kVip), VrrpReload::restart);
  EXPECT_EQ(classify_vips(v6, v6 + "        2001:db8::11\n"), VrrpReload::update);
  // (A list mixing families is a config error: it never reaches a reload.)
}

TEST(VrrpReloadKind, KeptVipWithOtherDetailsRestarts) {
  EXPECT_EQ(classify_vips(kVip, "        203.0.113.10/24\n"), VrrpReload::restart);
  EXPECT_EQ(classify_vips(kVip, "        203.0.113.10 dev eth1\n"), VrrpReload::restart);
  EXPECT_EQ(classify_vips(kVip, "        203.0.113.10 scope link\n"), VrrpReload::restart);
  EXPECT_EQ(classify_vips(kVip, kVip, kVip2, "        203.0.113.11 label eth0:2\n"),
            VrrpReload::restart);
}

}  // namespace
}  // namespace lvsctl::director
