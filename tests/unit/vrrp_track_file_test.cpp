// track_file: keepalived's status of a file's value, the priority and FAULT that follow, the
// parser of the file's content and of the track_file blocks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/track_file_watcher.hpp"
#include "director/vrrp/state_machine.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(TrackFileStatus, KeepalivedsRules) {
  using vrrp::track_file_status;
  EXPECT_EQ(track_file_status(0, 0, false), 0);
  EXPECT_EQ(track_file_status(3, 0, false), -254);   // weight 0: non-zero is FAULT
  EXPECT_EQ(track_file_status(0, 0, true), -254);    // ... reversed: zero is FAULT
  EXPECT_EQ(track_file_status(3, 0, true), 0);
  EXPECT_EQ(track_file_status(5, 10, false), 50);
  EXPECT_EQ(track_file_status(5, 10, true), -50);
  EXPECT_EQ(track_file_status(100, 10, false), 253);  // capped
  EXPECT_EQ(track_file_status(-100, 10, false), -254);
  EXPECT_EQ(track_file_status(2147483647, 254, false), 253);  // no overflow
}

vrrp::InstanceConfig config() {
  vrrp::InstanceConfig c;
  c.name = "VI_1";
  c.interface = "eth0";
  c.vrid = 51;
  c.priority = 100;
  c.advert_interval = 1s;
  c.primary_address = IpAddress::parse("203.0.113.104").value();
  c.track_files = {{"prio", 1, false}, {"stop", 0, false}};
  return c;
}

TEST(TrackFileMachine, ValueMovesPriorityAndWeightZeroMeansFault) {
  const vrrp::TimePoint t0 = vrrp::TimePoint{} + 1h;
  vrrp::StateMachine m(config());
  m.start(t0);
  EXPECT_EQ(m.effective_priority(), 100);
  m.on_file("prio", 30, t0);
  EXPECT_EQ(m.effective_priority(), 130);
  m.on_file("prio", -120, t0);
  EXPECT_EQ(m.effective_priority(), 1);  // kept in 1..254
  m.on_file("prio", 0, t0);
  EXPECT_EQ(m.state(), vrrp::State::backup);
  const auto step = m.on_file("stop", 1, t0);
  EXPECT_EQ(m.state(), vrrp::State::fault);
  EXPECT_TRUE(step.notifies(vrrp::State::fault));
  m.on_file("stop", 0, t0);
  EXPECT_EQ(m.state(), vrrp::State::backup);
}

// keepalived 2.2.7 reads a track file with strtol(buf, NULL, 0) (check_file_test.cpp compares
// with the C library's strtol).
TEST(TrackFileContent, LeadingIntegerLikeStrtol) {
  EXPECT_EQ(parse_track_file_value("42\n").value, 42);
  EXPECT_EQ(parse_track_file_value("  -7 trailing").value, -7);
  EXPECT_EQ(parse_track_file_value("+3").value, 3);
  EXPECT_FALSE(parse_track_file_value("99999999999999").valid);  // ignored by keepalived
  for (const char* none : {"", "abc", "-"}) {
    EXPECT_FALSE(parse_track_file_value(none).number) << none;
    EXPECT_EQ(parse_track_file_value(none).value, 0) << none;
    EXPECT_TRUE(parse_track_file_value(none).valid) << none;  // counts as 0
  }
}

config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return config::parse_config(text, "t.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

TEST(TrackFileConfig, BlocksAndInstanceLines) {
  auto p = parse(
      "track_file up {\n    file /run/up\n    weight -5 reverse\n    init_file 3 overwrite\n}\n"
      "vrrp_track_file old {\n    file /run/old\n}\n"
      "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
      "    virtual_ipaddress {\n        203.0.113.1\n    }\n"
      "    track_file {\n        up weight 10\n        old\n    }\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("'vrrp_track_file' is the deprecated name"));
  ASSERT_EQ(p.config.vrrp_track_files.size(), 2U);
  const auto& up = p.config.vrrp_track_files[0];
  EXPECT_EQ(up.path, "/run/up");
  EXPECT_EQ(up.weight, -5);
  EXPECT_TRUE(up.reverse);
  EXPECT_EQ(up.init_value, 3);
  EXPECT_TRUE(up.init_overwrite);
  const auto& vi = p.config.vrrp_instances.at(0);
  ASSERT_EQ(vi.track_files.size(), 2U);
  EXPECT_EQ(vi.track_files[0].weight, 10);
  EXPECT_FALSE(vi.track_files[1].weight.has_value());
}

TEST(TrackFileConfig, Errors) {
  auto p = parse("track_file a {\n    weight 1\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("t.conf:1:1: error: track_file a has no 'file'"));
  p = parse("track_file a {\n    file relative\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("must be an absolute path"));
  p = parse("track_file a {\n    file /x\n    weight 300\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("out of range"));
  p = parse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
            "    virtual_ipaddress {\n        203.0.113.1\n    }\n"
            "    track_file {\n        nosuch\n    }\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("tracks file 'nosuch', but no track_file has that name"));
}

}  // namespace
}  // namespace lvsctl::director
