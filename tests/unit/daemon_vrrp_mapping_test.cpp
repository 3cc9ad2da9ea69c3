// keepalived.conf vrrp_instance (+ vrrp_script, sync groups) -> what the VRRP runtime runs:
// the state machine's InstanceConfig and the tracked scripts the runner executes.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/vrrp_mapping.hpp"
#include "director/daemon/vrrp_script.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& text) {
  conf::MemorySources files;
  auto parsed = config::parse_config(text, "test.conf", files);
  std::string errors;
  for (const auto& d : parsed.diags) errors += conf::format(d) + "\n";
  EXPECT_FALSE(conf::has_errors(parsed.diags)) << errors;
  return parsed.config;
}

const char* kConf = R"(
vrrp_script chk_file {
    script "/usr/bin/test -f /tmp/ok"
    interval 2
    timeout 3
    weight -60
    rise 2
    fall 3
}
vrrp_script chk_other {
    script "/bin/true"
}
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 60
    version 3
    priority 100
    advert_int 1
    track_script {
        chk_file
        chk_other weight 0
    }
    virtual_ipaddress {
        2001:db8::100/64
    }
}
)";

TEST(DaemonVrrpMapping, TrackScriptTakesTheScriptsWeightRiseAndFallUnlessOverridden) {
  const auto config = parse(kConf);
  ASSERT_EQ(config.vrrp_instances.size(), 1u);
  const auto primary = *IpAddress::parse("fe80::1");
  const auto out = vrrp_instance_config(config, config.vrrp_instances[0], primary);
  ASSERT_EQ(out.track_scripts.size(), 2u);
  EXPECT_EQ(out.track_scripts[0].name, "chk_file");
  EXPECT_EQ(out.track_scripts[0].weight, -60);
  EXPECT_EQ(out.track_scripts[0].rise, 2);
  EXPECT_EQ(out.track_scripts[0].fall, 3);
  EXPECT_EQ(out.track_scripts[1].name, "chk_other");
  EXPECT_EQ(out.track_scripts[1].weight, 0);
  ASSERT_EQ(out.vips.size(), 1u);
  EXPECT_TRUE(out.vips[0].is_v6());
  EXPECT_EQ(out.primary_address, primary);
}

TEST(DaemonVrrpMapping, GarpRefreshAndLowerPrioReachTheStateMachine) {
  const auto config = parse(R"(
global_defs {
    vrrp_garp_master_refresh 60
    vrrp_garp_lower_prio_delay 3
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    garp_master_refresh_repeat 2
    garp_lower_prio_repeat 4
    virtual_ipaddress {
        203.0.113.10
    }
}
)");
  const auto out =
      vrrp_instance_config(config, config.vrrp_instances.at(0), *IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(out.garp_master_refresh, std::chrono::seconds(60));
  EXPECT_EQ(out.garp_master_refresh_repeat, 2U);
  EXPECT_EQ(out.garp_lower_prio_delay, std::chrono::seconds(3));
  EXPECT_EQ(out.garp_lower_prio_repeat, 4U);
}

TEST(DaemonVrrpMapping, TrackedScriptsAreTheInstancesVrrpScriptsInOrder) {
  const auto config = parse(kConf);
  const auto scripts = tracked_scripts(config, config.vrrp_instances[0]);
  ASSERT_EQ(scripts.size(), 2u);
  EXPECT_EQ(scripts[0].name, "chk_file");
  EXPECT_EQ(scripts[0].script.command, "/usr/bin/test -f /tmp/ok");
  EXPECT_EQ(scripts[0].interval, std::chrono::seconds(2));
  ASSERT_TRUE(scripts[0].timeout.has_value());
  EXPECT_EQ(*scripts[0].timeout, std::chrono::seconds(3));
  EXPECT_EQ(scripts[1].name, "chk_other");
  EXPECT_FALSE(scripts[1].timeout.has_value());
}

}  // namespace
}  // namespace lvsctl::director
