// Why a VRRP instance changed state: the state machine returns the reason with the step that
// notifies the new state (the daemon logs it), in keepalived's words where keepalived has them.
#include <gtest/gtest.h>

#include <chrono>

#include "director/vrrp/multicast_group.hpp"
#include "director/vrrp/state_machine.hpp"
#include "director/vrrp/sync_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

using namespace std::chrono_literals;
using RK = Reason::Kind;

const TimePoint T0 = TimePoint{} + 1h;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

InstanceConfig config(uint8_t priority, const char* name = "VI_1") {
  InstanceConfig c;
  c.name = name;
  c.interface = "eth0";
  c.vrid = 100;
  c.version = 2;
  c.priority = priority;
  c.advert_interval = 1s;
  c.primary_address = ip("203.0.113.104");
  c.vips = {ip("203.0.113.100")};
  return c;
}

Advert peer(uint8_t priority, const char* source = "203.0.113.105") {
  Advert a;
  a.version = 2;
  a.vrid = 100;
  a.priority = priority;
  a.interval_cs = 100;
  a.source = ip(source);
  a.destination = vrrp_group_v4();
  a.addresses = {ip("203.0.113.100")};
  return a;
}

StateMachine master(InstanceConfig c, TimePoint& now) {
  StateMachine m(std::move(c));
  now = m.start(now).wake_at.value();
  m.on_timer(now);
  EXPECT_EQ(m.state(), State::master);
  return m;
}

TEST(VrrpTransitionReason, StartAndAdvertTimeout) {
  StateMachine m(config(100));
  const Step start = m.start(T0);
  EXPECT_EQ(start.why.kind, RK::start);
  EXPECT_EQ(to_text(start.why), "start-up");
  const Step takeover = m.on_timer(start.wake_at.value());
  ASSERT_TRUE(takeover.notifies(State::master));
  EXPECT_EQ(takeover.why.kind, RK::advert_timeout);
  EXPECT_EQ(to_text(takeover.why), "Receive advertisement timeout");
}

TEST(VrrpTransitionReason, StepsWithoutTransitionCarryNone) {
  StateMachine m(config(100));
  m.start(T0);
  const Step heard = m.on_advert(peer(150), T0 + 1s);
  EXPECT_TRUE(heard.actions.empty());
  EXPECT_EQ(heard.why.kind, RK::none);
  EXPECT_EQ(to_text(heard.why), "");
}

TEST(VrrpTransitionReason, MasterYieldsToHigherPriorityNamingThePeer) {
  TimePoint now = T0;
  StateMachine m = master(config(100), now);
  const Step s = m.on_advert(peer(150, "203.0.113.9"), now + 10ms);
  ASSERT_TRUE(s.notifies(State::backup));
  EXPECT_EQ(s.why.kind, RK::higher_priority);
  EXPECT_EQ(s.why.peer, ip("203.0.113.9"));
  EXPECT_EQ(to_text(s.why),
            "received higher priority advert from 203.0.113.9 (priority 150, ours 100)");
}

TEST(VrrpTransitionReason, EqualPriorityFromHigherAddress) {
  TimePoint now = T0;
  StateMachine m = master(config(100), now);
  const Step s = m.on_advert(peer(100, "203.0.113.200"), now + 10ms);
  ASSERT_TRUE(s.notifies(State::backup));
  EXPECT_EQ(to_text(s.why),
            "received advert from 203.0.113.200 with same priority 100 but higher IP address");
}

TEST(VrrpTransitionReason, TakeoverAfterPriorityZeroNamesTheResigningMaster) {
  StateMachine m(config(100));
  m.start(T0);
  m.on_advert(peer(150, "203.0.113.7"), T0 + 1s);
  const Step resign = m.on_advert(peer(0, "203.0.113.7"), T0 + 2s);
  EXPECT_EQ(resign.why.kind, RK::none);  // no transition yet: Skew_Time first
  const Step s = m.on_timer(resign.wake_at.value());
  ASSERT_TRUE(s.notifies(State::master));
  EXPECT_EQ(s.why.kind, RK::master_resigned);
  EXPECT_EQ(to_text(s.why), "master 203.0.113.7 sent priority 0 (resigned)");
}

TEST(VrrpTransitionReason, ResignationForgottenWhenAMasterSpeaksAgain) {
  StateMachine m(config(100));
  m.start(T0);
  m.on_advert(peer(0, "203.0.113.7"), T0 + 1s);
  const Step again = m.on_advert(peer(150, "203.0.113.8"), T0 + 1100ms);
  const Step s = m.on_timer(again.wake_at.value());
  ASSERT_TRUE(s.notifies(State::master));
  EXPECT_EQ(s.why.kind, RK::advert_timeout);
}

TEST(VrrpTransitionReason, InterfaceDownAndUp) {
  TimePoint now = T0;
  StateMachine m = master(config(100), now);
  const Step down = m.on_interface("eth0", false, now + 1ms);
  ASSERT_TRUE(down.notifies(State::fault));
  EXPECT_EQ(to_text(down.why), "interface eth0 down");
  const Step up = m.on_interface("eth0", true, now + 2ms);
  ASSERT_TRUE(up.notifies(State::backup));
  EXPECT_EQ(to_text(up.why), "interface eth0 up");
}

TEST(VrrpTransitionReason, TrackScriptFailedAndRecovered) {
  InstanceConfig c = config(100);
  c.track_scripts = {{"chk_nginx", 0, 1, 1}};
  StateMachine m(c);
  m.start(T0);
  const Step first = m.on_script("chk_nginx", true, T0);  // INIT until the script reported
  EXPECT_EQ(first.why.kind, RK::start);
  const Step failed = m.on_script("chk_nginx", false, T0 + 1s);
  ASSERT_TRUE(failed.notifies(State::fault));
  EXPECT_EQ(to_text(failed.why), "track script chk_nginx failed");
  const Step good = m.on_script("chk_nginx", true, T0 + 2s);
  ASSERT_TRUE(good.notifies(State::backup));
  EXPECT_EQ(to_text(good.why), "track script chk_nginx succeeded");
}

TEST(VrrpTransitionReason, FaultAtStartNamesTheFailedScript) {
  InstanceConfig c = config(100);
  c.track_scripts = {{"chk_db", 0, 1, 1}};
  StateMachine m(c);
  m.start(T0);
  const Step s = m.on_script("chk_db", false, T0);
  ASSERT_TRUE(s.notifies(State::fault));
  EXPECT_EQ(to_text(s.why), "track script chk_db failed");
}

TEST(VrrpTransitionReason, SyncGroupMembersNameTheMemberThatMoved) {
  StateMachine a(config(100, "VI_A"));
  StateMachine b(config(100, "VI_B"));
  SyncGroup group({&a, &b});
  TimePoint now = T0;
  group.after(0, a.start(now), now);
  group.after(1, b.start(now), now);
  const auto steps = group.after(0, a.on_interface("eth0", false, now + 1s), now + 1s);
  ASSERT_TRUE(steps[0].notifies(State::fault));
  EXPECT_EQ(to_text(steps[0].why), "interface eth0 down");
  ASSERT_TRUE(steps[1].notifies(State::fault));
  EXPECT_EQ(steps[1].why.kind, RK::sync_group);
  EXPECT_EQ(to_text(steps[1].why), "sync group, with VI_A");
}

}  // namespace
}  // namespace lvsctl::director::vrrp
