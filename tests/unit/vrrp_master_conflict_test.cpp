// Two-masters detection and the text `lvsctl director watch` prints.
#include <gtest/gtest.h>

#include <chrono>

#include "director/vrrp/advert_text.hpp"
#include "director/vrrp/master_conflict.hpp"
#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

using namespace std::chrono_literals;

const TimePoint T0 = TimePoint{} + 1h;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

Advert from(const char* source, uint8_t priority, uint8_t vrid = 100) {
  Advert a;
  a.version = 2;
  a.vrid = vrid;
  a.priority = priority;
  a.interval_cs = 100;
  a.source = ip(source);
  a.destination = vrrp_group_v4();
  a.auth_type = AuthType::pass;
  a.auth_data = pass_auth_data("12345");
  a.addresses = {ip("203.0.113.100")};
  return a;
}

TEST(VrrpMasterConflict, OneMasterIsNoConflict) {
  MasterConflictDetector d;
  for (int i = 0; i < 30; ++i) EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + i * 1s));
}

TEST(VrrpMasterConflict, FailoverAfterSilenceIsNoConflict) {
  MasterConflictDetector d;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + i * 1s));
  // kill -9: silence, then the backup's adverts 3.8 s after the last one.
  const TimePoint t = T0 + 4s + 3'804'687us;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(d.observe(from("203.0.113.105", 50), t + i * 1s));
}

TEST(VrrpMasterConflict, PreemptionIsNoConflictEvenWithACrossingAdvert) {
  MasterConflictDetector d;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(d.observe(from("203.0.113.105", 50), T0 + i * 1s));
  const TimePoint t = T0 + 4s + 300ms;  // the restarted master's first advert
  EXPECT_FALSE(d.observe(from("203.0.113.104", 100), t));
  EXPECT_FALSE(d.observe(from("203.0.113.105", 50), t + 1ms));  // sent before it heard us
  for (int i = 1; i < 5; ++i) EXPECT_FALSE(d.observe(from("203.0.113.104", 100), t + i * 1s));
}

TEST(VrrpMasterConflict, PriorityZeroHandOverIsNoConflict) {
  MasterConflictDetector d;
  for (int i = 0; i < 3; ++i) d.observe(from("203.0.113.104", 100), T0 + i * 1s);
  EXPECT_FALSE(d.observe(from("203.0.113.104", 0), T0 + 2500ms));
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(d.observe(from("203.0.113.105", 50), T0 + 3300ms + i * 1s));
  }
}

TEST(VrrpMasterConflict, SplitBrainIsFlaggedOnceThenAgainAfterItHealed) {
  MasterConflictDetector d;
  EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0));
  // A lower priority advertising while a better master has been heard for half an interval.
  const auto c = d.observe(from("203.0.113.105", 50), T0 + 500ms);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->vrid, 100);
  EXPECT_EQ(c->first, ip("203.0.113.104"));
  EXPECT_EQ(c->first_priority, 100);
  EXPECT_EQ(c->second, ip("203.0.113.105"));
  EXPECT_EQ(c->second_priority, 50);
  EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + 1s));  // reported once
  for (int i = 1; i < 10; ++i) {
    EXPECT_FALSE(d.observe(from("203.0.113.105", 50), T0 + 500ms + i * 1s));
    EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + 1s + i * 1s));
  }
  // The firewall is fixed: .105 goes quiet. Later it splits again: flagged again.
  const TimePoint later = T0 + 30s;
  for (int i = 0; i < 10; ++i)
    EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + 11s + i * 1s));
  EXPECT_FALSE(d.observe(from("203.0.113.105", 50), later));
  EXPECT_FALSE(d.observe(from("203.0.113.104", 100), later + 500ms));
  EXPECT_TRUE(d.observe(from("203.0.113.105", 50), later + 1s).has_value());
}

TEST(VrrpMasterConflict, MastersTakingTurnsAreFlagged) {
  // Two keepalived MASTERs that reject each other's adverts (wrong auth_pass) postpone their own
  // adverts on every packet received, so the wire shows runs of one, then of the other.
  MasterConflictDetector d;
  EXPECT_FALSE(d.observe(from("203.0.113.105", 50), T0));
  EXPECT_FALSE(d.observe(from("203.0.113.105", 50), T0 + 1s));
  for (int i = 2; i < 6; ++i) EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + i * 1s));
  EXPECT_TRUE(d.observe(from("203.0.113.105", 50), T0 + 6s).has_value());
}

TEST(VrrpMasterConflict, EqualPrioritiesBothAdvertisingAreFlagged) {
  MasterConflictDetector d;
  EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0));
  EXPECT_FALSE(d.observe(from("203.0.113.105", 100), T0 + 100ms));  // may not have heard it yet
  EXPECT_TRUE(d.observe(from("203.0.113.104", 100), T0 + 1s).has_value());
}

TEST(VrrpMasterConflict, HigherPriorityBackupTakingOverWithNopreemptIsNoConflict) {
  MasterConflictDetector d;
  for (int i = 0; i < 3; ++i) d.observe(from("203.0.113.105", 50), T0 + i * 1s);
  // The prio-50 master dies; the prio-100 backup (nopreempt) times out after 3.61 s.
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(d.observe(from("203.0.113.104", 100), T0 + 2s + 3'609'375us + i * 1s));
  }
}

TEST(VrrpMasterConflict, DifferentVridsAreIndependent) {
  MasterConflictDetector d;
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(d.observe(from("203.0.113.104", 100, 100), T0 + i * 1s));
    EXPECT_FALSE(d.observe(from("203.0.113.105", 100, 101), T0 + i * 1s + 500ms));
  }
}

TEST(VrrpAdvertText, DescribesV2WithPasswordAndV3) {
  EXPECT_EQ(describe(from("203.0.113.104", 100)),
            "203.0.113.104 > 224.0.0.18 VRRPv2 vrid 100 prio 100 intvl 1s auth PASS \"12345\" "
            "vips 203.0.113.100");
  Advert v3;
  v3.version = 3;
  v3.vrid = 61;
  v3.priority = 90;
  v3.interval_cs = 10;
  v3.source = ip("fe80::1");
  v3.destination = vrrp_group_v6();
  v3.addresses = {ip("2001:db8::100"), ip("2001:db8::101")};
  EXPECT_EQ(describe(v3),
            "fe80::1 > ff02::12 VRRPv3 vrid 61 prio 90 intvl 0.1s auth none vips "
            "2001:db8::100,2001:db8::101");
  EXPECT_EQ(interval_text(25), "0.25s");
  EXPECT_EQ(interval_text(150), "1.5s");
  EXPECT_EQ(interval_text(300), "3s");
}

TEST(VrrpAdvertText, DescribesAConflict) {
  MasterConflict c{100, 2, ip("203.0.113.105"), 50, ip("203.0.113.104"), 100};
  EXPECT_EQ(
      describe(c).rfind(
          "TWO MASTERS for VRID 100 (VRRPv2): 203.0.113.105 prio 50 and 203.0.113.104 prio 100 "
          "are both advertising - split brain",
          0),
      0u);
}

}  // namespace
}  // namespace lvsctl::director::vrrp

namespace lvsctl::director::vrrp {
namespace {

using Kind = SplitBrainMonitor::Change::Kind;

TEST(VrrpSplitBrain, PeerMasterAdvertisingBesideUsStartsAndEndsOnSilence) {
  SplitBrainMonitor m;
  for (int i = 0; i < 3; ++i) m.sent(from("203.0.113.104", 100), T0 + i * 1s);
  auto c = m.heard(from("203.0.113.105", 50), true, T0 + 2500ms);
  ASSERT_EQ(c.kind, Kind::started);
  EXPECT_EQ(c.peer.peer, ip("203.0.113.105"));
  EXPECT_EQ(c.peer.priority, 50);
  ASSERT_TRUE(m.current().has_value());
  // It goes on: reported once.
  for (int i = 3; i < 8; ++i) {
    m.sent(from("203.0.113.104", 100), T0 + i * 1s);
    EXPECT_FALSE(m.heard(from("203.0.113.105", 50), true, T0 + i * 1s + 500ms));
    EXPECT_FALSE(m.check(true, T0 + i * 1s + 600ms));
  }
  // Silent: ends after its Master_Down_Interval (3.8 s at priority 50).
  EXPECT_FALSE(m.check(true, T0 + 7500ms + 3s));
  auto e = m.check(true, T0 + 7500ms + 4s);
  EXPECT_EQ(e.kind, Kind::ended);
  EXPECT_FALSE(m.current().has_value());
  // It comes back: a new conflict.
  for (int i = 12; i < 14; ++i) m.sent(from("203.0.113.104", 100), T0 + i * 1s);
  EXPECT_EQ(m.heard(from("203.0.113.105", 50), true, T0 + 13500ms).kind, Kind::started);
}

TEST(VrrpSplitBrain, EndsWhenPeerResignsOrWeYield) {
  SplitBrainMonitor m;
  for (int i = 0; i < 3; ++i) m.sent(from("203.0.113.104", 100), T0 + i * 1s);
  ASSERT_EQ(m.heard(from("203.0.113.105", 50), true, T0 + 2500ms).kind, Kind::started);
  EXPECT_EQ(m.heard(from("203.0.113.105", 0), true, T0 + 2600ms).kind, Kind::ended);

  SplitBrainMonitor n;
  for (int i = 0; i < 3; ++i) n.sent(from("203.0.113.104", 100), T0 + i * 1s);
  ASSERT_EQ(n.heard(from("203.0.113.105", 100), true, T0 + 2500ms).kind, Kind::started);
  EXPECT_EQ(n.check(false, T0 + 2600ms).kind, Kind::ended);  // no longer MASTER
}

TEST(VrrpSplitBrain, BackupHearingItsMasterOrAPreemptionIsNone) {
  SplitBrainMonitor m;
  // A backup: never sent, hears the master.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(m.heard(from("203.0.113.104", 100), false, T0 + i * 1s));
  // We preempt a lower master (we send 150, it yields; an advert of its crossing ours).
  SplitBrainMonitor p;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(p.heard(from("203.0.113.105", 100), false, T0 + i * 1s));
  p.sent(from("203.0.113.104", 150), T0 + 2200ms);
  EXPECT_FALSE(p.heard(from("203.0.113.105", 100), true, T0 + 2201ms));
  for (int i = 3; i < 8; ++i) {
    p.sent(from("203.0.113.104", 150), T0 + i * 1s + 200ms);
    EXPECT_FALSE(p.check(true, T0 + i * 1s + 300ms));
  }
  EXPECT_FALSE(p.current().has_value());
}

}  // namespace
}  // namespace lvsctl::director::vrrp

namespace lvsctl::director::vrrp {
namespace {

TEST(VrrpMasterConflict, FloodOfForgedSourcesIsBounded) {
  MasterConflictDetector d;
  for (int i = 0; i < 3; ++i) d.observe(from("203.0.113.104", 100), T0 + i * 1s);
  // 20,000 adverts, each from another source (198.51.100.0/24 and 192.0.2.0/24, cycling).
  for (int i = 0; i < 20'000; ++i) {
    const std::string src = (i % 2 ? "198.51.100." : "192.0.2.") + std::to_string(1 + (i / 2) % 250);
    d.observe(from(src.c_str(), 50), T0 + 3s + i * 10us);
    ASSERT_LE(d.tracked(), MasterConflictDetector::kMaxSources);
  }
  // Once they are silent, a real second master is tracked (and flagged) again.
  d.observe(from("203.0.113.104", 100), T0 + 10s);
  d.observe(from("203.0.113.104", 100), T0 + 11s);
  EXPECT_TRUE(d.observe(from("203.0.113.105", 100), T0 + 11500ms).has_value());
}

}  // namespace
}  // namespace lvsctl::director::vrrp
