// StateMachine::update: a reload that changes only in-place settings keeps the state; the next
// advert carries the new priority; a backup applies the normal rules with its new priority.
#include <gtest/gtest.h>

#include <chrono>

#include "director/vrrp/multicast_group.hpp"
#include "director/vrrp/state_machine.hpp"

namespace lvsctl::director::vrrp {
namespace {

using namespace std::chrono_literals;
using K = Action::Kind;

const TimePoint T0 = TimePoint{} + 1h;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

InstanceConfig config(uint8_t priority, const char* address = "203.0.113.104") {
  InstanceConfig c;
  c.name = "VI_1";
  c.interface = "eth0";
  c.vrid = 100;
  c.version = 2;
  c.priority = priority;
  c.advert_interval = 1s;
  c.auth_type = AuthType::pass;
  c.auth_pass = "12345";
  c.primary_address = ip(address);
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

std::optional<uint8_t> advert_priority(const Step& step) {
  for (const auto& a : step.actions) {
    if (a.kind == K::send_advert) return a.priority;
  }
  return std::nullopt;
}

// A master (priority 100, owner of nothing) after it took over.
StateMachine running_master(InstanceConfig c = config(100)) {
  StateMachine m(std::move(c));
  m.start(T0);
  m.on_timer(T0 + 4s);  // Master_Down ran out
  EXPECT_EQ(m.state(), State::master);
  return m;
}

TEST(VrrpUpdate, MasterPriorityChangeKeepsStateAndAdvertisesNewPriority) {
  auto m = running_master();
  const auto step = m.update(config(110), T0 + 4500ms);
  EXPECT_EQ(m.state(), State::master);
  EXPECT_FALSE(step.has(K::remove_vips));
  EXPECT_FALSE(step.has(K::add_vips));
  EXPECT_FALSE(step.has(K::notify));
  EXPECT_FALSE(advert_priority(step).has_value());  // no priority 0, nothing extra
  ASSERT_TRUE(step.wake_at.has_value());
  EXPECT_LE(*step.wake_at, T0 + 4500ms + 1500ms);  // the advert schedule goes on
  const auto next = m.on_timer(*step.wake_at);
  EXPECT_EQ(advert_priority(next), 110);
  EXPECT_EQ(m.effective_priority(), 110);
}

TEST(VrrpUpdate, MasterStillBeatsLowerPeerAfterUpdate) {
  auto m = running_master();
  m.update(config(110), T0 + 4500ms);
  const auto step = m.on_advert(peer(105), T0 + 4600ms);
  EXPECT_EQ(m.state(), State::master);  // 105 < 110 now (it would have won against 100)
  EXPECT_EQ(advert_priority(step), 110);
}

TEST(VrrpUpdate, MasterLoweredBelowPeerYields) {
  auto m = running_master();
  m.update(config(40), T0 + 4500ms);
  EXPECT_EQ(m.state(), State::master);
  m.on_advert(peer(50), T0 + 4600ms);
  EXPECT_EQ(m.state(), State::backup);
}

TEST(VrrpUpdate, BackupRaisedAbovePeerPreemptsByTheNormalRules) {
  StateMachine b(config(50));
  b.start(T0);
  b.on_advert(peer(100), T0 + 1s);
  EXPECT_EQ(b.state(), State::backup);
  const auto step = b.update(config(150), T0 + 1500ms);
  EXPECT_EQ(b.state(), State::backup);
  EXPECT_FALSE(step.has(K::notify));
  // The master's adverts (100) no longer reset the timer: it runs out, we take over.
  b.on_advert(peer(100), T0 + 2s);
  b.on_advert(peer(100), T0 + 3s);
  ASSERT_TRUE(b.next_wakeup().has_value());
  EXPECT_LE(*b.next_wakeup(), T0 + 1s + 3900ms);  // from the last advert of 100 heard as higher
  const auto take = b.on_timer(*b.next_wakeup());
  EXPECT_EQ(b.state(), State::master);
  EXPECT_EQ(advert_priority(take), 150);
}

TEST(VrrpUpdate, BackupRaisedWithNopreemptStaysBackup) {
  StateMachine b(config(50));
  b.start(T0);
  b.on_advert(peer(100), T0 + 1s);
  auto c = config(150);
  c.nopreempt = true;
  b.update(c, T0 + 1500ms);
  for (int i = 2; i < 12; ++i) b.on_advert(peer(100), T0 + std::chrono::seconds(i));
  b.on_timer(T0 + 11500ms);
  EXPECT_EQ(b.state(), State::backup);
}

TEST(VrrpUpdate, IntervalChangeMovesTheNextAdvertNoLater) {
  auto m = running_master();
  auto c = config(100);
  c.advert_interval = 3s;
  const auto step = m.update(c, T0 + 4100ms);
  ASSERT_TRUE(step.wake_at.has_value());
  const TimePoint first = *step.wake_at;
  EXPECT_LE(first, T0 + 4100ms + 1500ms);  // the advert already planned stays
  m.on_timer(first);
  ASSERT_TRUE(m.next_wakeup().has_value());
  EXPECT_LE(*m.next_wakeup() - first, 3s);  // then every 3 s (a little less while it moves
  EXPECT_GE(*m.next_wakeup() - first, 2700ms);  // onto the shared phase)
}

TEST(VrrpUpdate, TrackWeightChangeKeepsRecordedLinkStates) {
  auto c = config(100);
  c.track_interfaces = {{"eth1", -30}};
  auto m = running_master(c);
  m.on_interface("eth1", false, T0 + 5s);
  EXPECT_EQ(m.effective_priority(), 70);
  c.track_interfaces = {{"eth1", -60}};
  m.update(c, T0 + 6s);
  EXPECT_EQ(m.effective_priority(), 40);  // eth1 still known down
  EXPECT_EQ(m.state(), State::master);
}

TEST(VrrpUpdate, WeightBecomingZeroOnAFailedInterfaceMeansFault) {
  auto c = config(100);
  c.track_interfaces = {{"eth1", -30}};
  auto m = running_master(c);
  m.on_interface("eth1", false, T0 + 5s);
  c.track_interfaces = {{"eth1", 0}};
  const auto step = m.update(c, T0 + 6s);
  EXPECT_EQ(m.state(), State::fault);
  EXPECT_EQ(advert_priority(step), 0);
  EXPECT_TRUE(step.has(K::remove_vips));
}

}  // namespace
}  // namespace lvsctl::director::vrrp
