// Several VRRP state machines on a simulated LAN (adverts delivered instantly, time simulated):
// the user's scenario (VRID 100, priorities 100/50) through start, kill -9, restart with
// preemption, SIGTERM, and a healed split brain; plus sync groups.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>

#include "director/vrrp/state_machine.hpp"
#include "director/vrrp/sync_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

using namespace std::chrono_literals;

const TimePoint T0 = TimePoint{} + 1h;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

InstanceConfig config(uint8_t priority, const char* address, uint8_t version = 2) {
  InstanceConfig c;
  c.name = "VI_1";
  c.interface = "eth0";
  c.vrid = 100;
  c.version = version;
  c.priority = priority;
  c.advert_interval = version == 2 ? 1000ms : 100ms;
  c.auth_type = version == 2 ? AuthType::pass : AuthType::none;
  c.auth_pass = "12345";
  c.primary_address = ip(address);
  c.vips = {ip("203.0.113.100")};
  return c;
}

// A director on the simulated LAN: its state machine plus what the kernel would show.
struct Node {
  std::unique_ptr<StateMachine> machine;
  bool alive = true;
  bool connected = true;  // false: its adverts are lost, it hears nothing (firewall / cable)
  bool has_vip = false;
  std::optional<TimePoint> wake;
};

class Lan {
 public:
  TimePoint now = T0;
  std::vector<Node> nodes;

  std::size_t add(InstanceConfig c) {
    Node n;
    n.machine = std::make_unique<StateMachine>(std::move(c));
    nodes.push_back(std::move(n));
    return nodes.size() - 1;
  }
  void start(std::size_t i) {
    nodes[i].alive = true;
    perform(i, nodes[i].machine->start(now));
  }
  void kill9(std::size_t i) { nodes[i].alive = false; }  // VIP stays on the dead node's interface
  void restart(std::size_t i) {
    nodes[i].machine = std::make_unique<StateMachine>(nodes[i].machine->config());
    start(i);
  }
  void sigterm(std::size_t i) {
    perform(i, nodes[i].machine->shutdown(now));
    nodes[i].alive = false;
  }

  // Runs timers in order until `until`.
  void run_until(TimePoint until) {
    for (;;) {
      std::optional<std::size_t> next;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (!nodes[i].alive || !nodes[i].wake) continue;
        if (!next || *nodes[i].wake < *nodes[*next].wake) next = i;
      }
      if (!next || *nodes[*next].wake > until) break;
      now = *nodes[*next].wake;
      perform(*next, nodes[*next].machine->on_timer(now));
    }
    now = until;
  }

  std::vector<std::size_t> masters() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].alive && nodes[i].machine->state() == State::master) out.push_back(i);
    }
    return out;
  }

  // When the VIP last arrived on a node (the failover figure the bench measures).
  std::optional<TimePoint> vip_added_at;

 private:
  void perform(std::size_t i, const Step& step) {
    nodes[i].wake = step.wake_at;
    for (const Action& a : step.actions) {
      switch (a.kind) {
        case Action::Kind::add_vips:
          nodes[i].has_vip = true;
          vip_added_at = now;
          break;
        case Action::Kind::remove_vips:
          nodes[i].has_vip = false;
          break;
        case Action::Kind::send_advert:
          deliver(i, advert_of(nodes[i].machine->config(), a.priority));
          break;
        default:
          break;
      }
    }
  }
  void deliver(std::size_t from, const Advert& advert) {
    if (!nodes[from].connected) return;
    for (std::size_t j = 0; j < nodes.size(); ++j) {
      if (j == from || !nodes[j].alive || !nodes[j].connected) continue;
      perform(j, nodes[j].machine->on_advert(advert, now));
    }
  }
};

TEST(VrrpElection, UsersScenarioStartKillRestartSigterm) {
  Lan lan;
  const auto a = lan.add(config(100, "203.0.113.104"));
  const auto b = lan.add(config(50, "203.0.113.105"));
  lan.start(a);
  lan.start(b);
  lan.run_until(T0 + 10s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{a});
  EXPECT_TRUE(lan.nodes[a].has_vip);
  EXPECT_FALSE(lan.nodes[b].has_vip);
  EXPECT_EQ(*lan.vip_added_at, T0 + 3'609'375us);  // Master_Down of priority 100

  // kill -9 the master right after an advert: the backup takes over after its Master_Down.
  // The master advertised at exactly this moment: it took over at 3.61 s, advertised 1 s later,
  // then moved onto the shared phase (whole seconds) by at most 0.1 s a round: 11 s, 12 s.
  lan.run_until(T0 + 12s);
  const TimePoint killed = lan.now;
  lan.kill9(a);
  lan.run_until(killed + 10s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{b});
  EXPECT_TRUE(lan.nodes[b].has_vip);
  EXPECT_EQ(*lan.vip_added_at - killed, 3'804'687us);  // 3 x 1 s + (256-50)/256 s

  // Restart: the old master starts as BACKUP, ignores the lower master, preempts.
  lan.restart(a);
  lan.run_until(lan.now + 10s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{a});
  EXPECT_TRUE(lan.nodes[a].has_vip);
  EXPECT_FALSE(lan.nodes[b].has_vip);  // released when it heard the higher priority

  // SIGTERM: priority 0, the backup takes over after its skew.
  const TimePoint stopped = lan.now;
  lan.sigterm(a);
  EXPECT_FALSE(lan.nodes[a].has_vip);
  lan.run_until(stopped + 5s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{b});
  EXPECT_EQ(*lan.vip_added_at - stopped, 804'687us);
}

TEST(VrrpElection, V3FastIntervalFailover) {
  Lan lan;
  const auto a = lan.add(config(100, "203.0.113.104", 3));
  const auto b = lan.add(config(50, "203.0.113.105", 3));
  lan.start(a);
  lan.start(b);
  lan.run_until(T0 + 2s);
  ASSERT_EQ(lan.masters(), std::vector<std::size_t>{a});
  const TimePoint killed = lan.now;
  lan.kill9(a);
  lan.run_until(killed + 2s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{b});
  // Within Master_Down (0.380 s) of the kill, whatever the phase of the advert timer.
  EXPECT_LE(*lan.vip_added_at - killed, 380'468us);
  EXPECT_GT(*lan.vip_added_at - killed, 280'468us);
}

TEST(VrrpElection, SplitBrainHealsToTheHigherPriority) {
  Lan lan;
  const auto a = lan.add(config(100, "203.0.113.104"));
  const auto b = lan.add(config(50, "203.0.113.105"));
  lan.start(a);
  lan.start(b);
  lan.run_until(T0 + 5s);
  lan.nodes[b].connected = false;  // a firewall drops VRRP on b
  lan.run_until(T0 + 15s);
  EXPECT_EQ(lan.masters().size(), 2u);  // both MASTER: the split brain users suffer
  lan.nodes[b].connected = true;
  lan.run_until(T0 + 17s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{a});
  EXPECT_FALSE(lan.nodes[b].has_vip);
}

TEST(VrrpElection, EqualPrioritiesElectTheHigherAddress) {
  Lan lan;
  const auto low = lan.add(config(100, "203.0.113.104"));
  const auto high = lan.add(config(100, "203.0.113.105"));
  lan.nodes[low].connected = lan.nodes[high].connected = false;
  lan.start(low);
  lan.start(high);
  lan.run_until(T0 + 5s);
  ASSERT_EQ(lan.masters().size(), 2u);
  lan.nodes[low].connected = lan.nodes[high].connected = true;
  lan.run_until(T0 + 7s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{high});
}

TEST(VrrpElection, ThreeNodesFailOverInPriorityOrder) {
  Lan lan;
  const auto a = lan.add(config(150, "203.0.113.1"));
  const auto b = lan.add(config(100, "203.0.113.2"));
  const auto c = lan.add(config(50, "203.0.113.3"));
  for (auto i : {a, b, c}) lan.start(i);
  lan.run_until(T0 + 10s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{a});
  lan.kill9(a);
  lan.run_until(T0 + 20s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{b});  // smaller skew wins the race
  lan.kill9(b);
  lan.run_until(T0 + 30s);
  EXPECT_EQ(lan.masters(), std::vector<std::size_t>{c});
}

// --- sync groups -------------------------------------------------------------------------

InstanceConfig member(const char* name, const char* ifname, uint8_t vrid, uint8_t priority) {
  InstanceConfig c = config(priority, "203.0.113.104");
  c.name = name;
  c.interface = ifname;
  c.vrid = vrid;
  return c;
}

TEST(VrrpSyncGroup, FaultOfOneMemberFaultsAllAndRecoveryReturnsAllToBackup) {
  StateMachine outside(member("VI_OUT", "eth0", 100, 100));
  StateMachine inside(member("VI_IN", "eth1", 101, 100));
  SyncGroup group({&outside, &inside});
  TimePoint t = T0;
  group.after(0, outside.start(t), t);
  group.after(1, inside.start(t), t);
  ASSERT_EQ(outside.state(), State::backup);
  ASSERT_EQ(inside.state(), State::backup);

  // Both time out: only when both want MASTER does the group move.
  t += 3'609'375us;
  auto steps = group.after(0, outside.on_timer(t), t);
  EXPECT_EQ(outside.state(), State::backup);
  EXPECT_TRUE(outside.wants_master());
  steps = group.after(1, inside.on_timer(t), t);
  EXPECT_EQ(outside.state(), State::master);
  EXPECT_EQ(inside.state(), State::master);
  EXPECT_TRUE(steps[0].notifies(State::master));
  EXPECT_TRUE(steps[1].notifies(State::master));

  // eth1 goes down: the inside instance faults, and the outside one follows (priority 0 first).
  t += 1s;
  steps = group.after(1, inside.on_interface("eth1", false, t), t);
  EXPECT_EQ(inside.state(), State::fault);
  EXPECT_EQ(outside.state(), State::fault);
  ASSERT_FALSE(steps[0].actions.empty());
  EXPECT_EQ(steps[0].actions.front().kind, Action::Kind::send_advert);
  EXPECT_EQ(steps[0].actions.front().priority, 0);
  EXPECT_TRUE(steps[0].notifies(State::fault));

  // Up again: both to BACKUP.
  t += 1s;
  steps = group.after(1, inside.on_interface("eth1", true, t), t);
  EXPECT_EQ(inside.state(), State::backup);
  EXPECT_EQ(outside.state(), State::backup);
  EXPECT_TRUE(steps[0].notifies(State::backup));
}

TEST(VrrpSyncGroup, OneMemberSeeingABetterMasterTakesTheGroupToBackup) {
  StateMachine outside(member("VI_OUT", "eth0", 100, 100));
  StateMachine inside(member("VI_IN", "eth1", 101, 100));
  SyncGroup group({&outside, &inside});
  TimePoint t = T0;
  group.after(0, outside.start(t), t);
  group.after(1, inside.start(t), t);
  t += 4s;
  group.after(0, outside.on_timer(t), t);
  group.after(1, inside.on_timer(t), t);
  ASSERT_EQ(outside.state(), State::master);

  Advert better = advert_of(member("peer", "eth0", 100, 200), 200);
  better.source = ip("203.0.113.105");
  const auto steps = group.after(0, outside.on_advert(better, t + 100ms), t + 100ms);
  EXPECT_EQ(outside.state(), State::backup);
  EXPECT_EQ(inside.state(), State::backup);
  EXPECT_TRUE(steps[1].has(Action::Kind::remove_vips));
}

}  // namespace
}  // namespace lvsctl::director::vrrp
