// VRRP state machine: event/time sequences replayed against RFC 5798 section 6.4 and what
// keepalived 2.2.7 does (figures measured against keepalived 2.2.7 in the project's design notes).
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>

#include "director/vrrp/multicast_group.hpp"
#include "director/vrrp/state_machine.hpp"

namespace lvsctl::director::vrrp {

// Readable failure messages.
void PrintTo(const Action& a, std::ostream* os) {
  static const char* names[] = {"send_advert", "add_vips", "remove_vips",
                                "send_garp",   "notify",   "notify_stop"};
  *os << names[static_cast<int>(a.kind)] << "(prio " << int{a.priority} << ", "
      << to_string(a.state) << ", count " << a.count << ")";
}

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

InstanceConfig config_v3(uint8_t priority, const char* address = "203.0.113.104") {
  InstanceConfig c = config(priority, address);
  c.version = 3;
  c.advert_interval = 100ms;
  c.auth_type = AuthType::none;
  return c;
}

Advert peer(uint8_t priority, const char* source = "203.0.113.105", uint16_t interval_cs = 100) {
  Advert a;
  a.version = 2;
  a.vrid = 100;
  a.priority = priority;
  a.interval_cs = interval_cs;
  a.source = ip(source);
  a.destination = vrrp_group_v4();
  a.addresses = {ip("203.0.113.100")};
  return a;
}

Action sent(uint8_t priority) {
  Action a{K::send_advert};
  a.priority = priority;
  return a;
}

Action notified(State s) {
  Action a{K::notify};
  a.state = s;
  return a;
}

Action garps(unsigned n) {
  Action a{K::send_garp};
  a.count = n;
  return a;
}

// Drives a machine to MASTER through its start-up timeout, started so that it takes over exactly
// at `now`. With `now` a whole number of intervals (T0 is), its periodic adverts then fall due
// every interval from `now`.
StateMachine master_at(InstanceConfig c, TimePoint& now) {
  StateMachine probe(c);
  const auto start_delay = probe.start(now).wake_at.value() - now;
  StateMachine m(std::move(c));
  m.start(now - start_delay);
  m.on_timer(now);
  EXPECT_EQ(m.state(), State::master);
  return m;
}

TEST(VrrpTiming, SkewAndMasterDownPerVersion) {
  // v2: skew (256-prio)/256 s whatever the interval.
  EXPECT_EQ(skew_time(2, 50, Micros(1'000'000)), Micros(804'687));
  EXPECT_EQ(skew_time(2, 50, Micros(3'000'000)), Micros(804'687));
  EXPECT_EQ(master_down_interval(2, 100, Micros(1'000'000)), Micros(3'609'375));
  // v3: skew scales with the interval.
  EXPECT_EQ(skew_time(3, 50, Micros(100'000)), Micros(80'468));
  EXPECT_EQ(master_down_interval(3, 100, Micros(100'000)), Micros(360'937));
  EXPECT_EQ(skew_time(3, 255, Micros(100'000)), Micros(390));
}

TEST(VrrpStateMachine, StartsAsBackupRemovesStaleVipsAndWaitsMasterDown) {
  StateMachine m(config(100));
  EXPECT_EQ(m.state(), State::init);
  const Step s = m.start(T0);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(s.actions, (std::vector<Action>{Action{K::remove_vips}, notified(State::backup)}));
  EXPECT_EQ(s.wake_at, T0 + 3'609'375us);
}

TEST(VrrpStateMachine, SilenceMakesMasterAdvertFirstThenVipsGarpNotify) {
  StateMachine m(config(100));
  const TimePoint down = m.start(T0).wake_at.value();
  EXPECT_TRUE(m.on_timer(down - 1us).actions.empty());  // not yet
  EXPECT_EQ(m.state(), State::backup);
  const Step s = m.on_timer(down);
  EXPECT_EQ(m.state(), State::master);
  EXPECT_EQ(s.actions, (std::vector<Action>{sent(100), Action{K::add_vips}, garps(5),
                                            notified(State::master)}));
  // The second advert exactly one interval after the first (RFC 5798 6.4.2).
  EXPECT_EQ(down, T0 + 3'609'375us);
  EXPECT_EQ(s.wake_at, down + 1s);
  EXPECT_EQ(m.master_address(), ip("203.0.113.104"));
}

TEST(VrrpStateMachine, MasterAdvertisesEveryIntervalAndRepeatsGarpAfterDelay) {
  TimePoint t = T0;
  StateMachine m = master_at(config(100), t);
  const TimePoint became = t;
  for (int i = 1; i <= 4; ++i) {
    const Step s = m.on_timer(became + i * 1s);
    EXPECT_EQ(s.actions, std::vector<Action>{sent(100)}) << i;
  }
  const Step fifth = m.on_timer(became + 5s);
  EXPECT_EQ(fifth.actions, (std::vector<Action>{garps(5), sent(100)}));
  EXPECT_EQ(m.on_timer(became + 6s).actions, std::vector<Action>{sent(100)});
}

TEST(VrrpStateMachine, MastersOfOneIntervalJoinOnePhaseWhenEverTheyTookOver) {
  // Instances take over 0.31 s, 0.77 s and 0.99 s into a second: the second advert comes exactly
  // 1 s after the first; then each gap is 0.9 to 1 s until they advertise on whole seconds.
  for (auto offset : {310ms, 770ms, 990ms}) {
    TimePoint t = T0 + offset;
    InstanceConfig c = config(100);
    c.garp_master_delay = 0ms;  // only advert timers
    StateMachine m = master_at(c, t);
    TimePoint at = m.next_wakeup().value();
    EXPECT_EQ(at, t + 1s) << offset.count();
    for (int round = 0; round < 12; ++round) {
      const TimePoint next = m.on_timer(at).wake_at.value();
      EXPECT_GE(next - at, 900ms) << offset.count();
      EXPECT_LE(next - at, 1s) << offset.count();
      at = next;
    }
    EXPECT_EQ(at.time_since_epoch() % 1s, 0s) << offset.count();  // on the phase
    EXPECT_EQ(m.on_timer(at).wake_at, at + 1s);                    // and it stays there
  }
}

TEST(VrrpStateMachine, LateAdvertTimerKeepsThePeriodAndAStallDoesNotBurst) {
  TimePoint t = T0;
  StateMachine m = master_at(config_v3(100), t);
  const TimePoint became = t;
  // The runtime fires the timer 3 ms late: the next advert is still due one interval after the
  // previous deadline, not after the late firing.
  const Step late = m.on_timer(became + 103ms);
  EXPECT_EQ(late.actions, std::vector<Action>{sent(100)});
  EXPECT_EQ(late.wake_at, became + 200ms);
  // Stalled for 3.5 intervals: one advert, then the next back on the phase (no catch-up burst).
  const Step stalled = m.on_timer(became + 550ms);
  EXPECT_EQ(stalled.actions, std::vector<Action>{sent(100)});
  EXPECT_EQ(stalled.wake_at, became + 600ms);
}

TEST(VrrpStateMachine, GarpRefreshWhileMaster) {
  InstanceConfig c = config(100);
  c.garp_master_delay = 0s;
  c.garp_master_refresh = 2500ms;
  c.garp_master_refresh_repeat = 2;
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  m.on_timer(t + 1s);
  m.on_timer(t + 2s);
  EXPECT_EQ(m.on_timer(t + 2500ms).actions, std::vector<Action>{garps(2)});
  EXPECT_EQ(m.on_timer(t + 3s).actions, std::vector<Action>{sent(100)});
  EXPECT_EQ(m.on_timer(t + 5s).actions, (std::vector<Action>{garps(2), sent(100)}));
}

TEST(VrrpStateMachine, GarpRefreshCountsFromTheTakeoverAndStopsWhenMasterIsLeft) {
  InstanceConfig c = config(100);
  c.garp_master_delay = 0s;
  c.garp_master_repeat = 1;
  c.garp_master_refresh = 2s;
  c.garp_master_refresh_repeat = 2;
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  // Over 7 s of MASTER: bursts of 2 at 2, 4 and 6 s, each with the advert due then.
  unsigned bursts = 0;
  for (auto at = t + 1s; at <= t + 7s; at += 1s) {
    for (const auto& a : m.on_timer(at).actions) {
      if (a.kind != K::send_garp) continue;
      EXPECT_EQ(a.count, 2U);
      EXPECT_EQ((at - t) % 2s, 0s) << (at - t).count();
      ++bursts;
    }
  }
  EXPECT_EQ(bursts, 3U);
  EXPECT_EQ(m.next_wakeup(), t + 8s);
  // A higher master: BACKUP, and no refresh timer left behind.
  EXPECT_TRUE(m.on_advert(peer(200), t + 7500ms).notifies(State::backup));
  EXPECT_FALSE(m.on_timer(t + 8s).has(K::send_garp));
}

TEST(VrrpStateMachine, GarpRefreshFollowsAReload) {
  InstanceConfig c = config(100);
  c.garp_master_delay = 0s;
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  EXPECT_FALSE(m.on_timer(t + 3s).has(K::send_garp));  // off by default
  c.garp_master_refresh = 2s;
  c.garp_master_refresh_repeat = 3;
  m.update(c, t + 3500ms);  // on: the first burst one period after the reload
  EXPECT_FALSE(m.on_timer(t + 5s).has(K::send_garp));
  EXPECT_EQ(m.on_timer(t + 5500ms).actions, std::vector<Action>{garps(3)});
  c.garp_master_refresh = 0s;
  m.update(c, t + 6s);  // off again
  for (auto at = t + 7s; at <= t + 12s; at += 500ms) EXPECT_FALSE(m.on_timer(at).has(K::send_garp));
}

TEST(VrrpStateMachine, GarpLowerPrioBurstAtOnceAndAgainAfterTheDelay) {
  InstanceConfig c = config(100);
  c.garp_master_delay = 0s;
  c.garp_lower_prio_delay = 3s;
  c.garp_lower_prio_repeat = 4;
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  // Advert first (forces the election), then the neighbours' caches.
  EXPECT_EQ(m.on_advert(peer(50), t + 10ms).actions, (std::vector<Action>{sent(100), garps(4)}));
  EXPECT_FALSE(m.on_timer(t + 3s).has(K::send_garp));
  EXPECT_EQ(m.on_timer(t + 3010ms).actions, std::vector<Action>{garps(4)});
  EXPECT_FALSE(m.on_timer(t + 7s).has(K::send_garp));  // once per lower advert
  // Equal priority from a lower address is "lower" too; priority 0 is not.
  EXPECT_TRUE(m.on_advert(peer(100, "203.0.113.1"), t + 8s).has(K::send_garp));
  EXPECT_FALSE(m.on_advert(peer(0), t + 8100ms).has(K::send_garp));
}

TEST(VrrpStateMachine, GarpLowerPrioZeroDelayOrRepeatSendsNoSecondBurst) {
  InstanceConfig c = config(100);
  c.garp_master_delay = 0s;
  c.garp_lower_prio_delay = 0s;
  c.garp_lower_prio_repeat = 2;
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  EXPECT_EQ(m.on_advert(peer(50), t + 10ms).actions, (std::vector<Action>{sent(100), garps(2)}));
  for (auto at = t + 1s; at <= t + 10s; at += 1s) EXPECT_FALSE(m.on_timer(at).has(K::send_garp));
  c.garp_lower_prio_delay = 1s;
  c.garp_lower_prio_repeat = 0;
  m.update(c, t + 10s);
  EXPECT_EQ(m.on_advert(peer(50), t + 11s).actions, std::vector<Action>{sent(100)});
  EXPECT_FALSE(m.on_timer(t + 13s).has(K::send_garp));
}

TEST(VrrpStateMachine, BackupStaysBackupWhileAHigherMasterAdvertises) {
  StateMachine m(config(50, "203.0.113.105"));
  m.start(T0);
  TimePoint t = T0;
  for (int i = 0; i < 20; ++i) {
    t += 1s;
    const Step s = m.on_advert(peer(100, "203.0.113.104"), t);
    EXPECT_TRUE(s.actions.empty());
    EXPECT_EQ(s.wake_at, t + 3'804'687us);  // Master_Down for priority 50
    EXPECT_TRUE(m.on_timer(t).actions.empty());
  }
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(m.master_address(), ip("203.0.113.104"));
  // kill -9 of the master: silence; takeover exactly Master_Down after its last advert.
  EXPECT_TRUE(m.on_timer(t + 3'804'686us).actions.empty());
  EXPECT_TRUE(m.on_timer(t + 3'804'687us).notifies(State::master));
}

TEST(VrrpStateMachine, PriorityZeroAdvertLetsTheBackupTakeOverAfterSkew) {
  // keepalived measured 0.805 s for v2 priority 50 after SIGTERM of the master.
  StateMachine m(config(50, "203.0.113.105"));
  m.start(T0);
  m.on_advert(peer(100, "203.0.113.104"), T0 + 1s);
  const Step s = m.on_advert(peer(0, "203.0.113.104"), T0 + 2s);
  EXPECT_EQ(s.wake_at, T0 + 2s + 804'687us);
  EXPECT_TRUE(m.on_timer(T0 + 2s + 804'686us).actions.empty());
  EXPECT_TRUE(m.on_timer(T0 + 2s + 804'687us).notifies(State::master));
}

TEST(VrrpStateMachine, V3PriorityZeroTakeoverIsSkewOfTheInterval) {
  // keepalived measured 0.081 s for v3, advert_int 0.1, priority 50.
  StateMachine m(config_v3(50, "203.0.113.105"));
  m.start(T0);
  Advert a = peer(100, "203.0.113.104", 10);
  a.version = 3;
  m.on_advert(a, T0 + 100ms);
  a.priority = 0;
  const Step s = m.on_advert(a, T0 + 200ms);
  EXPECT_EQ(s.wake_at, T0 + 200ms + 80'468us);
}

TEST(VrrpStateMachine, V3BackupAdoptsTheMastersInterval) {
  InstanceConfig c = config_v3(50, "203.0.113.105");
  c.advert_interval = 1s;
  StateMachine m(c);
  m.start(T0);
  EXPECT_EQ(m.master_down_interval(), 3'804'687us);
  Advert a = peer(100, "203.0.113.104", 10);
  a.version = 3;
  const Step s = m.on_advert(a, T0 + 1s);
  EXPECT_EQ(m.master_adver_interval(), 100ms);
  EXPECT_EQ(s.wake_at, T0 + 1s + 380'468us);
  // Once master it advertises at its own interval again.
  const Step took = m.on_timer(*s.wake_at);
  ASSERT_TRUE(took.notifies(State::master));
  EXPECT_EQ(took.wake_at, T0 + 1s + 380'468us + 1s);  // one own interval after the takeover
}

TEST(VrrpStateMachine, V2IntervalIsConfiguredNotAdopted) {
  StateMachine m(config(50, "203.0.113.105"));
  m.start(T0);
  m.on_advert(peer(100, "203.0.113.104", 300), T0 + 1s);  // decode() drops these; if one got here
  EXPECT_EQ(m.master_adver_interval(), 1s);
}

TEST(VrrpStateMachine, PreemptionIgnoresALowerMasterAndTakesOver) {
  StateMachine m(config(100));
  m.start(T0);
  TimePoint t = T0;
  // The lower-priority node is master; its adverts do not reset our timer.
  for (int i = 0; i < 3; ++i) {
    t += 1s;
    EXPECT_EQ(m.on_advert(peer(50), t).wake_at, T0 + 3'609'375us);
  }
  const Step s = m.on_timer(T0 + 3'609'375us);
  EXPECT_TRUE(s.notifies(State::master));
  EXPECT_EQ(m.master_address(), ip("203.0.113.104"));
}

TEST(VrrpStateMachine, NopreemptAcceptsALowerMaster) {
  InstanceConfig c = config(100);
  c.nopreempt = true;
  StateMachine m(c);
  m.start(T0);
  for (int i = 1; i <= 10; ++i) {
    const TimePoint t = T0 + i * 1s;
    m.on_advert(peer(50), t);
    EXPECT_TRUE(m.on_timer(t).actions.empty());
  }
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(m.master_address(), ip("203.0.113.105"));
}

TEST(VrrpStateMachine, PreemptDelayHoldsOffThenPreempts) {
  InstanceConfig c = config(100);
  c.preempt_delay = 10s;
  StateMachine m(c);
  m.start(T0);
  TimePoint t = T0;
  // For 10 s after first seeing the lower master its adverts are accepted.
  for (int i = 1; i <= 10; ++i) {
    t = T0 + i * 1s;
    EXPECT_EQ(m.on_advert(peer(50), t).wake_at, t + 3'609'375us) << i;
  }
  // Then ignored: the timer started by the last accepted advert (at 10 s) runs out.
  t = T0 + 11s;
  EXPECT_EQ(m.on_advert(peer(50), t).wake_at, T0 + 10s + 3'609'375us);
  EXPECT_TRUE(m.on_timer(T0 + 10s + 3'609'375us).notifies(State::master));
}

TEST(VrrpStateMachine, MasterYieldsToHigherPriority) {
  TimePoint t = T0;
  StateMachine m = master_at(config(50, "203.0.113.105"), t);
  const Step s = m.on_advert(peer(100, "203.0.113.104"), t + 300ms);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(s.actions, (std::vector<Action>{Action{K::remove_vips}, notified(State::backup)}));
  EXPECT_EQ(s.wake_at, t + 300ms + 3'804'687us);
  EXPECT_EQ(m.master_address(), ip("203.0.113.104"));
}

TEST(VrrpStateMachine, EqualPriorityHigherPrimaryAddressWins) {
  TimePoint t = T0;
  StateMachine low = master_at(config(100, "203.0.113.104"), t);
  EXPECT_TRUE(low.on_advert(peer(100, "203.0.113.105"), t).notifies(State::backup));

  t = T0;
  StateMachine high = master_at(config(100, "203.0.113.105"), t);
  const Step s = high.on_advert(peer(100, "203.0.113.104"), t);
  EXPECT_EQ(high.state(), State::master);
  // The loser is "lower": advert, then garp_lower_prio_repeat (default 5) GARPs.
  EXPECT_EQ(s.actions, (std::vector<Action>{sent(100), garps(5)}));
}

TEST(VrrpStateMachine, EqualPriorityBackupDoesNotPreemptAnEqualMaster) {
  StateMachine m(config(100, "203.0.113.200"));
  m.start(T0);
  for (int i = 1; i <= 10; ++i) m.on_advert(peer(100, "203.0.113.1"), T0 + i * 1s);
  EXPECT_TRUE(m.on_timer(T0 + 10s).actions.empty());
  EXPECT_EQ(m.state(), State::backup);
}

TEST(VrrpStateMachine, MasterAnswersLowerPriorityAndPriorityZeroAtOnce) {
  TimePoint t = T0;
  InstanceConfig c = config(100);
  c.garp_lower_prio_repeat = 0;  // only the advert (the GARPs: GarpLowerPrio* below)
  StateMachine m = master_at(c, t);
  EXPECT_EQ(m.on_advert(peer(50), t + 10ms).actions, std::vector<Action>{sent(100)});
  const Step s = m.on_advert(peer(0), t + 20ms);
  EXPECT_EQ(s.actions, std::vector<Action>{sent(100)});
  EXPECT_EQ(s.wake_at, t + 20ms + 1s);  // Adver_Timer reset to one interval
  EXPECT_EQ(m.state(), State::master);
}

TEST(VrrpStateMachine, OwnLoopedBackAdvertIsIgnored) {
  TimePoint t = T0;
  StateMachine m = master_at(config(100), t);
  EXPECT_TRUE(m.on_advert(peer(100, "203.0.113.104"), t).actions.empty());
  EXPECT_EQ(m.state(), State::master);
}

TEST(VrrpStateMachine, AddressOwnerBecomesMasterAtOnce) {
  StateMachine m(config(255));
  const Step s = m.start(T0);
  EXPECT_EQ(m.state(), State::master);
  EXPECT_EQ(s.actions.front(), sent(255));
  EXPECT_EQ(s.wake_at, T0 + 1s);
}

TEST(VrrpStateMachine, StateMasterStartsAsBackupForMasterDownLikeKeepalived) {
  InstanceConfig c = config(100);
  c.start_as_master = true;
  StateMachine m(c);
  const Step s = m.start(T0);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(s.wake_at, T0 + 3'609'375us);  // RFC 5798 6.4.1; keepalived 2.2.7 waits as long
}

TEST(VrrpStateMachine, InterfaceDownIsFaultAndUpIsBackupThenPreemptsBack) {
  TimePoint t = T0;
  StateMachine m = master_at(config(100), t);
  const Step down = m.on_interface("eth0", false, t + 1s);
  EXPECT_EQ(m.state(), State::fault);
  EXPECT_EQ(down.actions,
            (std::vector<Action>{sent(0), Action{K::remove_vips}, notified(State::fault)}));
  EXPECT_FALSE(down.wake_at.has_value());
  EXPECT_TRUE(m.on_advert(peer(50), t + 2s).actions.empty());  // FAULT ignores adverts
  const Step up = m.on_interface("eth0", true, t + 3s);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(up.actions, std::vector<Action>{notified(State::backup)});
  // The backup took over meanwhile; its lower adverts are ignored, so we preempt.
  m.on_advert(peer(50), t + 4s);
  EXPECT_TRUE(m.on_timer(t + 3s + 3'609'375us).notifies(State::master));
}

TEST(VrrpStateMachine, InterfaceDownBeforeStartMeansStartInFault) {
  StateMachine m(config(100));
  EXPECT_TRUE(m.on_interface("eth0", false, T0).actions.empty());
  const Step s = m.start(T0);
  EXPECT_EQ(m.state(), State::fault);
  EXPECT_EQ(s.actions, (std::vector<Action>{Action{K::remove_vips}, notified(State::fault)}));
}

TEST(VrrpStateMachine, TrackInterfaceWeights) {
  InstanceConfig c = config(100);
  c.track_interfaces = {{"eth1", 0}, {"eth2", -30}, {"eth3", 20}};
  StateMachine m(c);
  m.start(T0);
  EXPECT_EQ(m.effective_priority(), 120);  // eth3 up: +20
  m.on_interface("eth2", false, T0);
  EXPECT_EQ(m.effective_priority(), 90);
  m.on_interface("eth3", false, T0);
  EXPECT_EQ(m.effective_priority(), 70);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(m.master_down_interval(), 3s + Micros((256 - 70) * 1'000'000 / 256));
  m.on_interface("eth1", false, T0);  // weight 0: fault
  EXPECT_EQ(m.state(), State::fault);
  EXPECT_TRUE(m.on_interface("unrelated", false, T0).actions.empty());
}

TEST(VrrpStateMachine, MasterAdvertisesItsEffectivePriority) {
  InstanceConfig c = config(100);
  c.track_interfaces = {{"eth2", -60}};
  TimePoint t = T0;
  StateMachine m = master_at(c, t);
  m.on_interface("eth2", false, t + 100ms);
  EXPECT_EQ(m.on_timer(t + 1s).actions, std::vector<Action>{sent(40)});
  // A backup at 50 now wins the election.
  EXPECT_TRUE(m.on_advert(peer(50), t + 1500ms).notifies(State::backup));
}

TEST(VrrpStateMachine, PriorityIsClampedAndOwnerIgnoresWeights) {
  InstanceConfig c = config(250);
  c.track_interfaces = {{"eth3", 20}};
  EXPECT_EQ(StateMachine(c).effective_priority(), 254);
  c.priority = 10;
  c.track_interfaces = {{"eth2", -50}};
  StateMachine low(c);
  low.on_interface("eth2", false, T0);
  EXPECT_EQ(low.effective_priority(), 1);
  c.priority = 255;
  StateMachine owner(c);
  owner.on_interface("eth2", false, T0);
  EXPECT_EQ(owner.effective_priority(), 255);
}

TEST(VrrpStateMachine, ScriptNotYetRunHoldsInitThenFirstResultDecides) {
  InstanceConfig c = config(100);
  c.track_scripts = {{"chk_haproxy", 0, 2, 3}};
  StateMachine m(c);
  const Step s = m.start(T0);
  EXPECT_EQ(m.state(), State::init);
  EXPECT_TRUE(s.actions.empty());
  EXPECT_FALSE(s.wake_at.has_value());
  const Step first = m.on_script("chk_haproxy", true, T0 + 1s);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_TRUE(first.notifies(State::backup));
  EXPECT_EQ(first.wake_at, T0 + 1s + 3'609'375us);
}

TEST(VrrpStateMachine, ScriptFallAndRiseAreConsecutiveCounts) {
  InstanceConfig c = config(100);
  c.track_scripts = {{"chk", 0, 2, 3}};  // rise 2, fall 3
  StateMachine m(c);
  m.start(T0);
  m.on_script("chk", true, T0);
  m.on_script("chk", false, T0);
  m.on_script("chk", false, T0);
  m.on_script("chk", true, T0);  // resets the fall count
  m.on_script("chk", false, T0);
  m.on_script("chk", false, T0);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_TRUE(m.on_script("chk", false, T0).notifies(State::fault));  // third in a row
  EXPECT_TRUE(m.on_script("chk", true, T0).actions.empty());          // one of two
  m.on_script("chk", false, T0);                                      // resets the rise count
  EXPECT_TRUE(m.on_script("chk", true, T0).actions.empty());
  EXPECT_TRUE(m.on_script("chk", true, T0).notifies(State::backup));
}

TEST(VrrpStateMachine, WeightedScriptsMovePriority) {
  InstanceConfig c = config(100);
  c.track_scripts = {{"up", 10, 1, 1}, {"down", -40, 1, 1}};
  StateMachine m(c);
  m.start(T0);
  m.on_script("up", true, T0);
  m.on_script("down", true, T0);
  EXPECT_EQ(m.state(), State::backup);
  EXPECT_EQ(m.effective_priority(), 110);
  m.on_script("down", false, T0);
  EXPECT_EQ(m.effective_priority(), 70);
  m.on_script("up", false, T0);
  EXPECT_EQ(m.effective_priority(), 60);
  EXPECT_EQ(m.state(), State::backup);  // weighted failures never mean FAULT
}

TEST(VrrpStateMachine, ShutdownOfMasterSendsPriorityZeroAndRemovesVips) {
  TimePoint t = T0;
  StateMachine m = master_at(config(100), t);
  const Step s = m.shutdown(t + 1s);
  EXPECT_EQ(s.actions,
            (std::vector<Action>{sent(0), Action{K::remove_vips}, Action{K::notify_stop}}));
  EXPECT_EQ(m.state(), State::init);
  EXPECT_FALSE(s.wake_at.has_value());
  StateMachine b(config(50));
  b.start(T0);
  EXPECT_EQ(b.shutdown(T0).actions, std::vector<Action>{Action{K::notify_stop}});
}

TEST(VrrpStateMachine, IgnoresEverythingBeforeStart) {
  StateMachine m(config(100));
  EXPECT_TRUE(m.on_advert(peer(200), T0).actions.empty());
  EXPECT_TRUE(m.on_timer(T0 + 1h).actions.empty());
  EXPECT_EQ(m.state(), State::init);
}

}  // namespace
}  // namespace lvsctl::director::vrrp
