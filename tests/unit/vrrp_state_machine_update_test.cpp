// StateMachine::update: a reload that changes only in-place settings keeps the state; the next
// advert carries the new priority; a backup applies the normal rules with its new priority.
#include <gtest/gtest.h>

#include <chrono>

#include "director/vrrp/advert_packets.hpp"
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

// A reload that adds a VIP: a MASTER stays MASTER, puts the VIPs on (add_vips) and announces
// them (one GARP burst), never resigns; the next advert carries the new list.
TEST(VrrpUpdate, MasterGivenANewVipAddsAndAnnouncesItAndKeepsAdvertising) {
  auto m = running_master();
  auto c = config(100);
  c.vips = {ip("203.0.113.100"), ip("203.0.113.101")};
  const auto step = m.update(c, T0 + 4500ms);
  EXPECT_EQ(m.state(), State::master);
  ASSERT_EQ(step.actions.size(), 2u);
  EXPECT_EQ(step.actions[0].kind, K::add_vips);
  EXPECT_EQ(step.actions[1].kind, K::send_garp);
  EXPECT_EQ(step.actions[1].count, c.garp_master_repeat);
  EXPECT_EQ(m.config().vips, c.vips);
  EXPECT_EQ(advert_of(m.config(), 100).addresses, c.vips);
  const auto next = m.on_timer(*step.wake_at);
  EXPECT_EQ(advert_priority(next), 100);
}

TEST(VrrpUpdate, MasterLosingAVipKeepsStateAndAddsNothing) {
  auto c = config(100);
  c.vips = {ip("203.0.113.100"), ip("203.0.113.101")};
  auto m = running_master(c);
  c.vips = {ip("203.0.113.100")};
  const auto step = m.update(c, T0 + 4500ms);
  EXPECT_EQ(m.state(), State::master);
  EXPECT_TRUE(step.actions.empty());  // the runtime takes the removed VIP down, nothing else
  EXPECT_EQ(advert_of(m.config(), 100).addresses, c.vips);
}

TEST(VrrpUpdate, BackupGivenANewVipAddsNothing) {
  StateMachine b(config(50));
  b.start(T0);
  auto c = config(50);
  c.vips = {ip("203.0.113.100"), ip("203.0.113.101")};
  const auto step = b.update(c, T0 + 1s);
  EXPECT_EQ(b.state(), State::backup);
  EXPECT_FALSE(step.has(K::add_vips));
  EXPECT_FALSE(step.has(K::send_garp));
  EXPECT_FALSE(step.has(K::send_advert));
  EXPECT_EQ(expectation_of(b.config()).addresses, c.vips);  // peers' adverts checked against it
}

TEST(VrrpUpdate, MasterGoingToFaultWithANewVipDoesNotAddIt) {
  auto c = config(100);
  c.track_interfaces = {{"eth1", -30}};
  auto m = running_master(c);
  m.on_interface("eth1", false, T0 + 5s);
  c.track_interfaces = {{"eth1", 0}};
  c.vips = {ip("203.0.113.100"), ip("203.0.113.101")};
  const auto step = m.update(c, T0 + 6s);
  EXPECT_EQ(m.state(), State::fault);
  EXPECT_TRUE(step.has(K::remove_vips));
  EXPECT_FALSE(step.has(K::add_vips));
}

// The runner's cached adverts (AdvertPackets over the machine's config) re-encoded after the
// update carry the new list, IPv4 (v2) and IPv6 (v3) alike.
TEST(VrrpUpdate, CachedAdvertsCarryTheNewVipsAfterInvalidate) {
  for (const bool v6 : {false, true}) {
    auto c = config(100);
    if (v6) {
      c.version = 3;
      c.auth_type = AuthType::none;
      c.auth_pass.clear();
      c.primary_address = ip("fe80::1");
      c.vips = {ip("2001:db8::100")};
    }
    auto m = running_master(c);
    const IpAddress group = v6 ? vrrp_group_v6() : vrrp_group_v4();
    AdvertPackets packets(m.config(), {group});
    packets.packets(100);
    c.vips.push_back(ip(v6 ? "2001:db8::101" : "203.0.113.101"));
    m.update(c, T0 + 4500ms);
    packets.invalidate();
    Advert expected = advert_of(m.config(), 100);
    expected.destination = group;
    EXPECT_EQ(expected.addresses.size(), 2u);
    EXPECT_EQ(packets.packets(100).at(0), v6 ? encode(expected) : encode_ip_packet(expected, 2))
        << (v6 ? "IPv6" : "IPv4");
  }
}

}  // namespace
}  // namespace lvsctl::director::vrrp
