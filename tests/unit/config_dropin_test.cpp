// Drop-in verdicts written from keepalived 2.2.7's behaviour on real files (issue 14): Debian's
// keepalived.conf.conditional_conf sample (a vrrp_script whose only `script` line is for another
// config id, `net_namespace` at the top level), and track_script resolution.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "director/config/load.hpp"
#include "director/host_check.hpp"
#include "shared/conf/source_files.hpp"
#include "shared/net_namespace.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ParsedConfig parse(const std::string& text, const std::string& config_id = "high") {
  conf::MemorySources files;
  conf::LanguageOptions options;
  options.config_id = config_id;
  return parse_config(text, "d.conf", files, options);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::string instance(const std::string& name, const std::string& body) {
  return "vrrp_instance " + name +
         " {\n    interface eth0\n    virtual_router_id 51\n"
         "    virtual_ipaddress {\n        203.0.113.10\n    }\n" +
         body + "}\n";
}

// ---- vrrp_script without a script -----------------------------------------------------------

TEST(ConfigDropin, ScriptWithoutScriptLineIsRemovedAndItsTrackingIgnored) {
  // keepalived 2.2.7: "No script set for vrrp_script chk - removing", then at the instance
  // "(VI_1) track script chk not found, ignoring...". The file runs.
  auto p = parse("vrrp_script chk {\n    interval 1\n}\n" +
                 instance("VI_1", "    track_script {\n        chk\n    }\n"));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("d.conf:1:1: warning: vrrp_script chk has no 'script' line; removed, "
                           "as keepalived 2.2.7 removes it (\"No script set for vrrp_script chk "
                           "- removing\")"));
  EXPECT_THAT(d, HasSubstr("d.conf:11:9: warning: vrrp_instance VI_1 tracks script 'chk', which "
                           "was removed (it has no 'script' line); ignored, as keepalived 2.2.7: "
                           "\"(VI_1) track script chk not found, ignoring...\""));
  EXPECT_TRUE(p.config.vrrp_scripts.empty());
  ASSERT_EQ(p.config.vrrp_instances.size(), 1U);
  EXPECT_TRUE(p.config.vrrp_instances[0].track_scripts.empty());
}

TEST(ConfigDropin, ConditionalScriptLineKeepsTheScriptForItsConfigId) {
  const std::string text =
      "vrrp_script chk {\n@high    script /bin/true\n    interval 1\n}\n" +
      instance("VI_1", "    track_script {\n        chk\n    }\n");
  auto high = parse(text, "high");
  EXPECT_FALSE(conf::has_errors(high.diags)) << all(high.diags);
  EXPECT_THAT(all(high.diags), Not(HasSubstr("chk")));
  ASSERT_EQ(high.config.vrrp_scripts.size(), 1U);
  EXPECT_EQ(high.config.vrrp_instances[0].track_scripts.size(), 1U);
  auto other = parse(text, "other");
  EXPECT_FALSE(conf::has_errors(other.diags)) << all(other.diags);
  EXPECT_TRUE(other.config.vrrp_scripts.empty());
  EXPECT_TRUE(other.config.vrrp_instances[0].track_scripts.empty());
}

TEST(ConfigDropin, UnreadableScriptLineIsOneErrorNotAlsoARemoval) {
  auto p = parse("vrrp_script chk {\n    script\n}\n" +
                 instance("VI_1", "    track_script {\n        chk\n    }\n"));
  EXPECT_TRUE(conf::has_errors(p.diags));
  EXPECT_THAT(all(p.diags), HasSubstr("d.conf:2:5: error: 'script' needs a value"));
  EXPECT_THAT(all(p.diags), Not(HasSubstr("vrrp_script chk has no 'script' line")));
}

// ---- track_script resolution ------------------------------------------------------------------

TEST(ConfigDropin, TrackScriptNamingNoScriptIsIgnoredWithKeepalivedsWords) {
  auto p = parse(instance("VI_1", "    track_script {\n        chk_missing\n    }\n") +
                 "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n"
                 "    track_script {\n        nope\n    }\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("d.conf:8:9: warning: vrrp_instance VI_1 tracks script 'chk_missing', "
                           "but no vrrp_script has that name; ignored, as keepalived 2.2.7: "
                           "\"(VI_1) track script chk_missing not found, ignoring...\""));
  EXPECT_THAT(d, HasSubstr("d.conf:16:9: warning: vrrp_sync_group G tracks script 'nope', but no "
                           "vrrp_script has that name; ignored"));
  EXPECT_TRUE(p.config.vrrp_instances[0].track_scripts.empty());
  EXPECT_TRUE(p.config.vrrp_sync_groups[0].track_scripts.empty());
}

TEST(ConfigDropin, TrackScriptBeforeItsDefinitionIsTrackedAndTheDifferenceSaid) {
  // keepalived 2.2.7 resolves the name where it reads the track_script line (checked with
  // `keepalived -t`: "(VI_1) track script chk not found, ignoring..."); lvsctl tracks it.
  auto p = parse(instance("VI_1", "    track_script {\n        chk\n    }\n") +
                 "vrrp_script chk {\n    script /bin/true\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags),
              HasSubstr("d.conf:8:9: warning: vrrp_instance VI_1 tracks script 'chk' before its "
                        "vrrp_script block: keepalived 2.2.7 resolves the name where it reads "
                        "this line and ignores it"));
  EXPECT_EQ(p.config.vrrp_instances[0].track_scripts.size(), 1U);
  // Defined first: no warning.
  auto ordered = parse("vrrp_script chk {\n    script /bin/true\n}\n" +
                       instance("VI_1", "    track_script {\n        chk\n    }\n"));
  EXPECT_FALSE(conf::has_errors(ordered.diags)) << all(ordered.diags);
  EXPECT_THAT(all(ordered.diags), Not(HasSubstr("tracks script")));
}

// ---- net_namespace ---------------------------------------------------------------------------

TEST(ConfigDropin, NetNamespaceAtTheTopLevelIsKept) {
  auto p = parse("@high net_namespace lt-high\n@low net_namespace lt-low\n" +
                 instance("VI_1", ""));
  EXPECT_TRUE(p.diags.empty()) << all(p.diags);
  ASSERT_TRUE(p.config.global.net_namespace);
  EXPECT_EQ(*p.config.global.net_namespace, "lt-high");
  EXPECT_EQ(p.config.global.net_namespace_where.line, 1);
  auto low = parse("@high net_namespace lt-high\n@low net_namespace lt-low\n" +
                       instance("VI_1", ""),
                   "low");
  EXPECT_EQ(low.config.global.net_namespace.value_or(""), "lt-low");
  auto none = parse("@high net_namespace lt-high\n" + instance("VI_1", ""), "other");
  EXPECT_FALSE(none.config.global.net_namespace);
}

TEST(ConfigDropin, NetNamespaceDuplicateOrNamelessIsIgnoredAsKeepalivedDoes) {
  auto p = parse("net_namespace\nnet_namespace a\nnet_namespace b\n" + instance("VI_1", ""));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("d.conf:1:1: warning: 'net_namespace' without a name is ignored, as "
                           "keepalived 2.2.7 ignores it (\"net_namespace name missing - "
                           "ignoring\")"));
  EXPECT_THAT(d, HasSubstr("d.conf:3:1: warning: a second 'net_namespace' (b) is ignored, as "
                           "keepalived 2.2.7 ignores it (\"Duplicate net_namespace definition b "
                           "- ignoring\"); the namespace stays a (line 2)"));
  EXPECT_EQ(p.config.global.net_namespace.value_or(""), "a");
}

TEST(ConfigDropin, NetNamespaceThatCannotBeANameIsAnError) {
  auto p = parse("net_namespace ../etc\n" + instance("VI_1", ""));
  EXPECT_THAT(all(p.diags), HasSubstr("d.conf:1:15: error: net_namespace: '../etc' is not a "
                                      "namespace name: it holds a '/'"));
  EXPECT_EQ(net_namespace_name_problem(".."), "'..' is not a namespace name");
  EXPECT_FALSE(net_namespace_name_problem("").empty());
  EXPECT_TRUE(net_namespace_name_problem("lt-high").empty());
}

TEST(ConfigDropin, NetNamespaceInsideGlobalDefsIsIgnoredAsKeepalivedDoes) {
  // keepalived 2.2.7 -t: "(Line 2) Unknown keyword 'net_namespace'".
  auto p = parse("global_defs {\n    net_namespace lt-x\n    use_pid_dir\n}\n" +
                 instance("VI_1", ""));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("d.conf:2:5: warning: 'net_namespace' inside global_defs is ignored, "
                           "as keepalived 2.2.7 ignores it there (\"Unknown keyword "
                           "'net_namespace'\"): it is a top-level keyword; move it out of "
                           "global_defs (as written, the daemon runs in the current network "
                           "namespace)"));
  EXPECT_THAT(d, HasSubstr("d.conf:3:5: warning: 'use_pid_dir' inside global_defs is ignored"));
  EXPECT_FALSE(p.config.global.net_namespace);
}

TEST(ConfigDropin, HostCheckNeedsTheNamespaceAndLooksForInterfacesInIt) {
  auto p = parse("net_namespace lt-x\n" + instance("VI_1", ""));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  std::string entered;
  HostFacts h;
  h.interface_exists = [&](const std::string&) { return entered == "lt-x"; };
  h.script_runnable = [](const std::string&) -> Status { return {}; };
  h.use_net_namespace = [&](const std::string& ns) -> Status {
    entered = ns;
    return {};
  };
  EXPECT_TRUE(host_diagnostics(p.config, h).empty());
  h.use_net_namespace = [](const std::string&) -> Status {
    return Error{"cannot open network namespace /run/netns/lt-x: No such file or directory", 2};
  };
  const auto d = host_diagnostics(p.config, h);
  ASSERT_EQ(d.size(), 1U) << all(d);
  EXPECT_EQ(conf::format(d[0]),
            "d.conf:1:1: error: network namespace 'lt-x' cannot be used on this host: cannot "
            "open network namespace /run/netns/lt-x: No such file or directory (keepalived 2.2.7 "
            "exits: \"Unable to set network namespace lt-x - exiting\"); its interfaces are not "
            "checked");
}

// ---- tracking in a vrrp_sync_group ----------------------------------------------------------

std::string sync_pair(const std::string& group_body, const std::string& a_priority = "100") {
  return "track_file F1 {\n    file /tmp/lt-f1\n}\n"
         "vrrp_script chk {\n    script /bin/true\n    weight 10\n}\n"
         "vrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n    priority " +
         a_priority +
         "\n    track_file {\n        F1 weight 5\n    }\n"
         "    virtual_ipaddress {\n        203.0.113.1\n    }\n}\n"
         "vrrp_instance B {\n    interface eth0\n    virtual_router_id 2\n"
         "    virtual_ipaddress {\n        203.0.113.2\n    }\n}\n"
         "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n" +
         group_body + "}\n";
}

TEST(ConfigDropin, SyncGroupTrackingAppliesToEveryMember) {
  // keepalived 2.2.7 adds every member of the group to the group's tracked files, scripts and
  // interfaces (vrrp.c, vrrp_complete_init).
  auto p = parse(sync_pair("    track_file {\n        F1 weight 0\n    }\n"
                           "    track_script {\n        chk\n    }\n"
                           "    track_interface {\n        eth1 weight -20\n    }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_EQ(p.config.vrrp_instances.size(), 2U);
  const auto& a = p.config.vrrp_instances[0];
  const auto& b = p.config.vrrp_instances[1];
  // A tracks F1 itself: its own line (weight 5) stays.
  ASSERT_EQ(a.track_files.size(), 1U);
  EXPECT_EQ(a.track_files[0].weight, 5);
  ASSERT_EQ(b.track_files.size(), 1U);
  EXPECT_EQ(b.track_files[0].name, "F1");
  EXPECT_EQ(b.track_files[0].weight, 0);
  for (const auto* vi : {&a, &b}) {
    ASSERT_EQ(vi->track_scripts.size(), 1U) << vi->name;
    EXPECT_EQ(vi->track_scripts[0].name, "chk");
    EXPECT_FALSE(vi->track_scripts[0].weight);  // the script's own weight
    ASSERT_EQ(vi->track_interfaces.size(), 1U) << vi->name;
    EXPECT_EQ(vi->track_interfaces[0].name, "eth1");
    EXPECT_EQ(vi->track_interfaces[0].weight, -20);
  }
  ASSERT_EQ(p.config.vrrp_sync_groups[0].track_files.size(), 1U);
}

TEST(ConfigDropin, SyncGroupWithAnAddressOwnerHasItsTrackingWeightsCleared) {
  auto p = parse(sync_pair("    track_script {\n        chk\n    }\n"
                           "    track_interface {\n        eth1 weight -20\n    }\n",
                           "255"));
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("warning: vrrp_sync_group G has a member with priority 255 (address "
                           "owner): the weight of its tracked script 'chk' is cleared, as "
                           "keepalived 2.2.7 clears it"));
  EXPECT_THAT(d, HasSubstr("the weight of its tracked interface 'eth1' is cleared"));
  const auto& b = p.config.vrrp_instances[1];
  ASSERT_EQ(b.track_scripts.size(), 1U);
  EXPECT_EQ(b.track_scripts[0].weight.value_or(-1), 0);
  ASSERT_EQ(b.track_interfaces.size(), 1U);
  EXPECT_EQ(b.track_interfaces[0].weight, 0);
}

// ---- Debian's sample ------------------------------------------------------------------------

TEST(ConfigDropin, DebianConditionalConfSampleLoadsForEachConfigId) {
  const std::string path = "/usr/share/doc/keepalived/samples/keepalived.conf.conditional_conf";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " is not installed (Debian package keepalived)";
  std::stringstream text;
  text << in.rdbuf();
  for (const std::string id : {"high", "low", "other"}) {
    auto p = parse(text.str(), id);
    EXPECT_FALSE(conf::has_errors(p.diags)) << id << ":\n" << all(p.diags);
    if (id == "other") {
      EXPECT_THAT(all(p.diags), HasSubstr("No script set for vrrp_script check_VI_0 - removing"));
      EXPECT_FALSE(p.config.global.net_namespace);
    } else {
      EXPECT_EQ(p.config.global.net_namespace.value_or(""), id);
      ASSERT_EQ(p.config.vrrp_scripts.size(), 1U);
      EXPECT_EQ(p.config.vrrp_scripts[0].script.command,
                "/etc/keepalived/scripts/check_" + id + "_VI_0.sh");
    }
  }
}

}  // namespace
}  // namespace lvsctl::director::config
