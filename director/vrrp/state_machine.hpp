#pragma once
// StateMachine: one VRRP instance (RFC 5798 section 6.4, with keepalived's choices where the RFC
// leaves room), pure. It is fed events with the current time and answers with a Step: the actions
// the runtime must perform, in order, and when to call on_timer() next. It never reads a clock.
//
// States: INIT (before start(), after shutdown(), or while a tracked script has not reported),
// BACKUP, MASTER, FAULT (own interface down, or a weight-0 tracked interface/script failed).
//
// Behaviour, where it goes beyond the RFC, follows keepalived 2.2.7:
//  - start: priority 255 -> MASTER at once; otherwise BACKUP for Master_Down_Interval, with
//    `state MASTER` too (RFC 5798 6.4.1; keepalived 2.2.7 waits the same ~3.4-3.6 s). Entering
//    BACKUP at start removes our VIPs (stale ones from a crashed run) and notifies BACKUP.
//  - BACKUP receiving priority 0: take over after Skew_Time. Receiving priority >= ours (or
//    anything with nopreempt, or anything while preempt_delay has not run out since a lower
//    master was first seen): reset the Master_Down timer (v3: adopt the master's interval).
//    Lower priority with preemption: ignored, so the timer runs out and we take over.
//  - MASTER receiving priority 0: advertise at once. Higher priority, or equal priority from a
//    higher primary address: -> BACKUP. Lower: advertise at once to force the election
//    (keepalived's default, ends a split brain in one round trip), then garp_lower_prio_repeat
//    GARPs, and as many again after garp_lower_prio_delay.
//  - Becoming MASTER: advert first (so the old master drops the VIPs before our GARPs), add VIPs,
//    GARP burst, notify; a second GARP burst after garp_master_delay. The second advert follows
//    the first by exactly one interval (RFC 5798 6.4.2); the next ones move at most a tenth of
//    an interval earlier each round onto a phase shared by all masters of one interval
//    (multiples of it), so one director's masters advertise in one burst. While MASTER,
//    garp_master_refresh_repeat GARPs every garp_master_refresh (0: never), counted from the
//    takeover (keepalived sends them with the first advert after the period has run out).
//  - Leaving MASTER for FAULT or at shutdown: priority-0 advert, remove VIPs.
// In a sync group (set_sync_group(true)) an expired Master_Down timer only makes the instance
// *want* MASTER; the SyncGroup coordinator decides when the whole group moves.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/instance_config.hpp"
#include "director/vrrp/timing.hpp"
#include "director/vrrp/tracking.hpp"

namespace lvsctl::director::vrrp {

using TimePoint = std::chrono::steady_clock::time_point;

enum class State : uint8_t { init, backup, master, fault };
std::string_view to_string(State state);  // "INIT", "BACKUP", "MASTER", "FAULT"

struct Action {
  enum class Kind : uint8_t {
    send_advert,  // send our advert with `priority`
    add_vips,     // put the instance's VIPs on its interface
    remove_vips,  // take them off
    send_garp,    // `count` gratuitous ARPs / unsolicited NAs for every VIP
    notify,       // run notify scripts for `state` (keepalived's notify_master/backup/fault)
    notify_stop,  // run notify_stop (shutdown)
  };
  Kind kind;
  uint8_t priority = 0;
  State state = State::init;
  unsigned count = 0;

  friend bool operator==(const Action&, const Action&) = default;
};

// Why an instance changed state, for the log line of the transition (keepalived's wording
// where it has one: "Receive advertisement timeout").
struct Reason {
  enum class Kind : uint8_t {
    none,
    start,             // the start-up decision (BACKUP, or MASTER as address owner)
    advert_timeout,    // Master_Down_Interval ran out without an advert
    master_resigned,   // the master sent priority 0; we took over after Skew_Time
    higher_priority,   // a MASTER heard `peer` with `peer_priority` above ours (or equal, higher IP)
    interface_down,    // `name`: own or weight-0 tracked interface down
    interface_up,      // `name` back up: out of FAULT
    script_failed,     // `name`: weight-0 tracked script failed
    script_recovered,  // `name` good again: out of FAULT
    sync_group,        // moved with the sync group (`name`: the member that moved first, if known)
    reload,            // a reload changed the weights
    track_file,        // `name`: a tracked file's value changed (`value`)
    track_process,     // `name`: a tracked process gained (`value` 1) or lost (0) its quorum
  };
  Kind kind = Kind::none;
  std::optional<IpAddress> peer;
  uint8_t peer_priority = 0;
  uint8_t own_priority = 0;  // ours when the advert was heard
  std::string name;
  std::int64_t value = 0;  // track_file: the file's new value

  friend bool operator==(const Reason&, const Reason&) = default;
};
// "Receive advertisement timeout", "received higher priority advert from 203.0.113.2 (priority
// 150, ours 100)", "track script chk_x failed", "interface eth1 down", ...
std::string to_text(const Reason& reason);

struct Step {
  std::vector<Action> actions;       // perform in order
  std::optional<TimePoint> wake_at;  // call on_timer() then; nullopt: no timer needed
  Reason why;                        // of the notify(state) in `actions`; none without one

  bool has(Action::Kind kind) const;
  bool notifies(State state) const;  // contains notify(state)
};

class StateMachine {
 public:
  explicit StateMachine(InstanceConfig config);

  const InstanceConfig& config() const { return config_; }

  // Before start(): record initial link states (no actions). After: react to changes.
  Step on_interface(std::string_view ifname, bool up, TimePoint now);
  Step on_script(std::string_view script, bool success, TimePoint now);
  // A tracked file (track_file) now holds `value`.
  Step on_file(std::string_view file, std::int64_t value, TimePoint now);
  // A tracked process (track_process) gained or lost its quorum.
  Step on_process(std::string_view process, bool have_quorum, TimePoint now);

  Step start(TimePoint now);
  // A peer's advert for our VRID that decode() accepted with expectation_of(config()).
  Step on_advert(const Advert& advert, TimePoint now);
  Step on_timer(TimePoint now);
  // A reload changed only settings that apply in place (see classify_vrrp_reload: same name,
  // interface, VRID, version, authentication, VIP family and primary address; priority neither
  // to nor from 255; the same tracked names). The state stays: a MASTER keeps its VIPs and sends
  // the new priority, interval and VIP list from its next advert; a BACKUP applies the normal
  // rules to the next advert it hears with its new priority (so it preempts a now lower master,
  // unless nopreempt). A MASTER given VIPs it did not have adds them (add_vips) and announces
  // them (send_garp, garp_master_repeat); taking removed VIPs down is the runtime's job.
  Step update(InstanceConfig config, TimePoint now);
  // Leaves MASTER (priority-0 advert, VIPs removed) and stops; state becomes INIT.
  Step shutdown(TimePoint now);

  // Sync group hooks, used by SyncGroup only.
  void set_sync_group(bool member) { in_sync_group_ = member; }
  bool wants_master() const { return wants_master_; }
  bool own_fault() const { return tracking_.fault(); }
  Step force_master(TimePoint now);
  Step force_backup(TimePoint now);
  Step set_group_fault(bool fault, TimePoint now);

  State state() const { return state_; }
  uint8_t effective_priority() const { return tracking_.effective_priority(); }
  std::optional<IpAddress> master_address() const;  // ours when MASTER, else the last master seen
  Micros master_adver_interval() const { return master_adver_interval_; }
  Micros master_down_interval() const;
  std::optional<TimePoint> next_wakeup() const;

 private:
  Micros own_interval() const;
  Micros skew() const;
  Step finish(Step step) const;  // fills wake_at
  void enter_backup(Step& step, TimePoint now, Micros down_after, Reason why);
  void become_master(Step& step, TimePoint now, Reason why);
  void leave_master(Step& step);
  void enter_fault(Step& step, Reason why);
  void reconsider(Step& step, TimePoint now, const Reason& why);  // after tracking changed
  void begin(Step& step, TimePoint now);                          // the start-up decision

  InstanceConfig config_;
  Tracking tracking_;
  State state_ = State::init;
  bool started_ = false;
  bool in_sync_group_ = false;
  bool wants_master_ = false;
  bool group_fault_ = false;
  Micros master_adver_interval_;
  std::optional<TimePoint> deadline_;    // MASTER: next advert; BACKUP: Master_Down expiry
  std::optional<TimePoint> preempt_at_;  // end of preempt_delay, once a lower master was seen
  std::optional<TimePoint> garp_repeat_at_;
  std::optional<TimePoint> garp_refresh_at_;     // garp_master_refresh: next periodic burst
  std::optional<TimePoint> garp_lower_prio_at_;  // second burst after a lower priority advert
  std::optional<IpAddress> master_address_;
  std::optional<Reason> resigned_;  // BACKUP: the master's priority-0 advert, until we take over
};

}  // namespace lvsctl::director::vrrp
