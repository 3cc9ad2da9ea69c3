#include "director/vrrp/state_machine.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace lvsctl::director::vrrp {
namespace {

Action act(Action::Kind kind) { return Action{kind}; }

Action advert(uint8_t priority) {
  Action a{Action::Kind::send_advert};
  a.priority = priority;
  return a;
}

Action notify(State s) {
  Action a{Action::Kind::notify};
  a.state = s;
  return a;
}

Action garp(unsigned count) {
  Action a{Action::Kind::send_garp};
  a.count = count;
  return a;
}

Reason because(Reason::Kind kind, std::string name = {}) {
  Reason r;
  r.kind = kind;
  r.name = std::move(name);
  return r;
}

Reason because_of_peer(Reason::Kind kind, std::optional<IpAddress> peer, uint8_t peer_priority,
                       uint8_t own_priority) {
  Reason r;
  r.kind = kind;
  r.peer = std::move(peer);
  r.peer_priority = peer_priority;
  r.own_priority = own_priority;
  return r;
}

void earliest(std::optional<TimePoint>& acc, const std::optional<TimePoint>& t) {
  if (t && (!acc || *t < *acc)) acc = t;
}

// The phase shared by all masters of one interval: the multiples of `interval` on the clock's own
// scale. Every master with one interval so advertises at the same moments, whenever it took over:
// the director sends all their adverts in one burst and its peers read them in one (instead of
// one wake-up per takeover moment).
//
// on_phase: the first phase point at least half an interval after `now` (used after a stall).
TimePoint on_phase(TimePoint now, Micros interval) {
  const auto since = std::chrono::duration_cast<Micros>((now + interval / 2).time_since_epoch());
  const auto periods = (since + interval - Micros(1)) / interval;
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(periods * interval));
}

// toward_phase: a periodic advert due at `next` (one interval after the previous one) moves at
// most a tenth of an interval earlier, toward the phase point just before it. A new master's
// second advert so follows its first by exactly one interval (RFC 5798 6.4.2, as keepalived
// does), and it joins the shared phase within ten rounds, its gaps never longer than an interval.
TimePoint toward_phase(TimePoint next, Micros interval) {
  const auto since = std::chrono::duration_cast<Micros>(next.time_since_epoch());
  const Micros offset = since % interval;
  return next - std::min(offset, interval / 10);
}

}  // namespace

std::string to_text(const Reason& r) {
  using K = Reason::Kind;
  const std::string peer = r.peer ? r.peer->to_string() : "?";
  switch (r.kind) {
    case K::none: return "";
    case K::start: return "start-up";
    case K::advert_timeout: return "Receive advertisement timeout";
    case K::master_resigned: return fmt::format("master {} sent priority 0 (resigned)", peer);
    case K::higher_priority:
      if (r.peer_priority == r.own_priority) {
        return fmt::format("received advert from {} with same priority {} but higher IP address",
                           peer, r.peer_priority);
      }
      return fmt::format("received higher priority advert from {} (priority {}, ours {})", peer,
                         r.peer_priority, r.own_priority);
    case K::interface_down: return fmt::format("interface {} down", r.name);
    case K::interface_up: return fmt::format("interface {} up", r.name);
    case K::script_failed: return fmt::format("track script {} failed", r.name);
    case K::script_recovered: return fmt::format("track script {} succeeded", r.name);
    case K::sync_group:
      return r.name.empty() ? "sync group" : fmt::format("sync group, with {}", r.name);
    case K::reload: return "reload";
    case K::track_file: return fmt::format("track file {} now {}", r.name, r.value);
    case K::track_process:
      return fmt::format("tracked process {} quorum {}", r.name, r.value ? "gained" : "lost");
  }
  return "";
}

std::string_view to_string(State state) {
  switch (state) {
    case State::init:
      return "INIT";
    case State::backup:
      return "BACKUP";
    case State::master:
      return "MASTER";
    case State::fault:
      return "FAULT";
  }
  return "UNKNOWN";
}

bool Step::has(Action::Kind kind) const {
  return std::any_of(actions.begin(), actions.end(),
                     [&](const Action& a) { return a.kind == kind; });
}

bool Step::notifies(State state) const {
  return std::any_of(actions.begin(), actions.end(), [&](const Action& a) {
    return a.kind == Action::Kind::notify && a.state == state;
  });
}

StateMachine::StateMachine(InstanceConfig config)
    : config_(std::move(config)), tracking_(config_), master_adver_interval_(own_interval()) {}

Micros StateMachine::own_interval() const { return Micros(interval_cs(config_) * 10'000LL); }

Micros StateMachine::skew() const {
  return skew_time(config_.version, effective_priority(), master_adver_interval_);
}

Micros StateMachine::master_down_interval() const {
  return vrrp::master_down_interval(config_.version, effective_priority(), master_adver_interval_);
}

std::optional<IpAddress> StateMachine::master_address() const {
  if (state_ == State::master) return config_.primary_address;
  return master_address_;
}

std::optional<TimePoint> StateMachine::next_wakeup() const {
  std::optional<TimePoint> t;
  if (state_ == State::master) {
    earliest(t, deadline_);
    earliest(t, garp_repeat_at_);
    earliest(t, garp_refresh_at_);
    earliest(t, garp_lower_prio_at_);
  } else if (state_ == State::backup) {
    earliest(t, deadline_);
  }
  return t;
}

Step StateMachine::finish(Step step) const {
  step.wake_at = next_wakeup();
  return step;
}

void StateMachine::enter_backup(Step& step, TimePoint now, Micros down_after, Reason why) {
  if (state_ == State::master) leave_master(step);
  if (state_ == State::init) step.actions.push_back(act(Action::Kind::remove_vips));  // stale VIPs
  const bool changed = state_ != State::backup;
  state_ = State::backup;
  wants_master_ = false;
  deadline_ = now + down_after;
  resigned_.reset();
  if (changed) {
    step.actions.push_back(notify(State::backup));
    step.why = std::move(why);
  }
}

void StateMachine::become_master(Step& step, TimePoint now, Reason why) {
  state_ = State::master;
  step.why = std::move(why);
  resigned_.reset();
  wants_master_ = false;
  preempt_at_.reset();
  master_adver_interval_ = own_interval();
  // The advert goes first: the old master drops the VIPs before our GARPs arrive.
  step.actions.push_back(advert(effective_priority()));
  step.actions.push_back(act(Action::Kind::add_vips));
  if (config_.garp_master_repeat > 0) step.actions.push_back(garp(config_.garp_master_repeat));
  step.actions.push_back(notify(State::master));
  deadline_ = now + master_adver_interval_;  // exact; toward the phase from the next one on
  garp_repeat_at_.reset();
  garp_refresh_at_.reset();
  if (config_.garp_master_delay.count() > 0 && config_.garp_master_repeat > 0) {
    garp_repeat_at_ = now + config_.garp_master_delay;
  }
  if (config_.garp_master_refresh.count() > 0) garp_refresh_at_ = now + config_.garp_master_refresh;
}

void StateMachine::leave_master(Step& step) {
  step.actions.push_back(act(Action::Kind::remove_vips));
  garp_repeat_at_.reset();
  garp_refresh_at_.reset();
  garp_lower_prio_at_.reset();
}

void StateMachine::enter_fault(Step& step, Reason why) {
  if (state_ == State::master) {
    step.actions.push_back(advert(0));
    leave_master(step);
  }
  const bool changed = state_ != State::fault;
  state_ = State::fault;
  wants_master_ = false;
  deadline_.reset();
  master_address_.reset();
  resigned_.reset();
  if (changed) {
    step.actions.push_back(notify(State::fault));
    // The cause tracking knows when the event that got us here was not the failure itself
    // (start-up, a reload, a sync group member's fault is the group's).
    if (why.kind != Reason::Kind::interface_down && why.kind != Reason::Kind::script_failed &&
        why.kind != Reason::Kind::sync_group && why.kind != Reason::Kind::track_process) {
      if (const auto* name = tracking_.failed_interface()) {
        why = because(Reason::Kind::interface_down, *name);
      } else if (const auto* script = tracking_.failed_script()) {
        why = because(Reason::Kind::script_failed, *script);
      } else if (const auto* process = tracking_.failed_process()) {
        why = because(Reason::Kind::track_process, *process);  // value 0: "quorum lost"
      }
    }
    step.why = std::move(why);
  }
}

void StateMachine::begin(Step& step, TimePoint now) {
  master_adver_interval_ = own_interval();
  if (tracking_.initialising()) return;  // stay INIT until every script has reported
  const Reason why = because(Reason::Kind::start);
  if (tracking_.fault() || group_fault_) {
    if (state_ == State::init) step.actions.push_back(act(Action::Kind::remove_vips));
    enter_fault(step, group_fault_ && !tracking_.fault() ? because(Reason::Kind::sync_group) : why);
  } else if (config_.priority == 255) {
    become_master(step, now, why);
  } else {  // `state MASTER` too: RFC 5798 6.4.1, as keepalived (checks get to run first)
    enter_backup(step, now, master_down_interval(), why);
  }
}

void StateMachine::reconsider(Step& step, TimePoint now, const Reason& why) {
  if (!started_) return;
  if (state_ == State::init) {
    begin(step, now);
    return;
  }
  const bool fault = tracking_.fault() || group_fault_;
  if (fault && state_ != State::fault) {
    enter_fault(step, why);
  } else if (!fault && state_ == State::fault) {
    master_adver_interval_ = own_interval();
    if (config_.priority == 255 && !in_sync_group_) {
      become_master(step, now, why);
    } else {
      enter_backup(step, now, master_down_interval(), why);
    }
  }
}

Step StateMachine::on_interface(std::string_view ifname, bool up, TimePoint now) {
  Step step;
  const Reason why =
      because(up ? Reason::Kind::interface_up : Reason::Kind::interface_down, std::string(ifname));
  if (tracking_.set_interface(ifname, up)) reconsider(step, now, why);
  return finish(std::move(step));
}

Step StateMachine::on_script(std::string_view script, bool success, TimePoint now) {
  Step step;
  const Reason why = because(
      success ? Reason::Kind::script_recovered : Reason::Kind::script_failed, std::string(script));
  if (tracking_.add_script_result(script, success)) reconsider(step, now, why);
  return finish(std::move(step));
}

Step StateMachine::on_file(std::string_view file, std::int64_t value, TimePoint now) {
  Step step;
  Reason why = because(Reason::Kind::track_file, std::string(file));
  why.value = value;
  if (tracking_.set_file_value(file, value)) reconsider(step, now, why);
  return finish(std::move(step));
}

Step StateMachine::on_process(std::string_view process, bool have_quorum, TimePoint now) {
  Step step;
  Reason why = because(Reason::Kind::track_process, std::string(process));
  why.value = have_quorum ? 1 : 0;
  if (tracking_.set_process_quorum(process, have_quorum)) reconsider(step, now, why);
  return finish(std::move(step));
}

Step StateMachine::start(TimePoint now) {
  Step step;
  if (started_) return finish(std::move(step));
  started_ = true;
  begin(step, now);
  return finish(std::move(step));
}

Step StateMachine::on_advert(const Advert& a, TimePoint now) {
  Step step;
  if (a.source == config_.primary_address) return finish(std::move(step));  // our own, looped back
  if (state_ == State::backup) {
    const uint8_t ours = effective_priority();
    const bool preempt_delay_running =
        config_.preempt_delay.count() > 0 && (!preempt_at_ || now < *preempt_at_);
    if (a.priority == 0) {
      deadline_ = now + skew();  // the master resigned: take over after Skew_Time
      resigned_ = because_of_peer(Reason::Kind::master_resigned, a.source, 0, ours);
    } else if (config_.nopreempt || a.priority >= ours || preempt_delay_running) {
      resigned_.reset();
      if (config_.version == 3) master_adver_interval_ = Micros(a.interval_cs * 10'000LL);
      deadline_ = now + master_down_interval();
      master_address_ = a.source;
      wants_master_ = false;
      if (config_.preempt_delay.count() > 0) {
        if (a.priority >= ours) {
          preempt_at_.reset();
        } else if (!preempt_at_) {
          preempt_at_ = now + config_.preempt_delay;
        }
      }
    } else {
      master_address_ = a.source;  // a lower master: ignored, our timer will run out
    }
  } else if (state_ == State::master) {
    const uint8_t ours = effective_priority();
    const bool they_win = a.priority > ours || (a.priority == ours && a.priority != 0 &&
                                                a.source > config_.primary_address);
    if (a.priority == 0) {
      step.actions.push_back(advert(ours));
      deadline_ = now + master_adver_interval_;  // Adver_Timer reset (RFC 5798 6.4.3)
    } else if (they_win) {
      if (config_.version == 3) master_adver_interval_ = Micros(a.interval_cs * 10'000LL);
      master_address_ = a.source;
      enter_backup(step, now, master_down_interval(),
                   because_of_peer(Reason::Kind::higher_priority, a.source, a.priority, ours));
    } else {
      step.actions.push_back(advert(ours));  // lower priority master: force the election
      // ... and refresh the neighbours' caches, again after garp_lower_prio_delay (keepalived:
      // the other master may have answered ARP for the VIPs meanwhile).
      if (config_.garp_lower_prio_repeat > 0) {
        step.actions.push_back(garp(config_.garp_lower_prio_repeat));
        if (config_.garp_lower_prio_delay.count() > 0) {
          garp_lower_prio_at_ = now + config_.garp_lower_prio_delay;
        }
      }
    }
  }
  return finish(std::move(step));
}

Step StateMachine::update(InstanceConfig config, TimePoint now) {
  Step step;
  config.primary_address = config_.primary_address;
  const Micros old_interval = own_interval();
  const auto old_refresh = config_.garp_master_refresh;
  const bool vips_added = std::any_of(config.vips.begin(), config.vips.end(), [&](const auto& v) {
    return std::find(config_.vips.begin(), config_.vips.end(), v) == config_.vips.end();
  });
  config_ = std::move(config);
  tracking_.retune(config_);
  const Micros interval = own_interval();
  if (interval != old_interval && (state_ == State::master || config_.version == 2)) {
    master_adver_interval_ = interval;  // v3 backups keep the interval their master sends
  }
  if (state_ == State::master && interval != old_interval && deadline_) {
    deadline_ = std::min(*deadline_, on_phase(now, interval));
  }
  if (config_.preempt_delay.count() == 0) preempt_at_.reset();
  if (state_ == State::master) {
    if (config_.garp_master_delay.count() == 0 || config_.garp_master_repeat == 0) {
      garp_repeat_at_.reset();
    }
    // garp_master_refresh: off now, or a new period counted from this reload.
    if (config_.garp_master_refresh.count() == 0) {
      garp_refresh_at_.reset();
    } else if (!garp_refresh_at_ || config_.garp_master_refresh != old_refresh) {
      garp_refresh_at_ = now + config_.garp_master_refresh;
    }
    if (config_.garp_lower_prio_delay.count() == 0 || config_.garp_lower_prio_repeat == 0) {
      garp_lower_prio_at_.reset();
    }
  }
  // A weight now 0 (or no longer 0) may change FAULT.
  reconsider(step, now, because(Reason::Kind::reload));
  if (state_ == State::master && vips_added) {
    // New VIPs join a running master as they would at a takeover: on the interface, then
    // announced (keepalived adds them on reload and keeps advertising). Removed VIPs are the
    // runtime's to take down: only it knows the old list's details.
    step.actions.push_back(act(Action::Kind::add_vips));
    step.actions.push_back(garp(config_.garp_master_repeat));
  }
  return finish(std::move(step));
}

Step StateMachine::on_timer(TimePoint now) {
  Step step;
  if (state_ == State::master) {
    if (garp_repeat_at_ && *garp_repeat_at_ <= now) {
      step.actions.push_back(garp(config_.garp_master_repeat));
      garp_repeat_at_.reset();
    }
    if (garp_refresh_at_ && *garp_refresh_at_ <= now) {
      step.actions.push_back(garp(config_.garp_master_refresh_repeat));
      garp_refresh_at_ = now + config_.garp_master_refresh;
    }
    if (garp_lower_prio_at_ && *garp_lower_prio_at_ <= now) {
      step.actions.push_back(garp(config_.garp_lower_prio_repeat));
      garp_lower_prio_at_.reset();
    }
    if (deadline_ && *deadline_ <= now) {
      step.actions.push_back(advert(effective_priority()));
      // From the last deadline, so a timer that fires late does not stretch the period, moving
      // toward the shared phase; after a stall longer than an interval, back on the phase (no
      // burst of catch-up adverts).
      const TimePoint next = *deadline_ + master_adver_interval_;
      const TimePoint toward = toward_phase(next, master_adver_interval_);
      deadline_ = toward > now ? toward : next > now ? next : on_phase(now, master_adver_interval_);
    }
  } else if (state_ == State::backup && deadline_ && *deadline_ <= now) {
    if (in_sync_group_) {
      wants_master_ = true;  // the group decides; look again after another Master_Down
      deadline_ = now + master_down_interval();
    } else {
      become_master(step, now, resigned_.value_or(because(Reason::Kind::advert_timeout)));
    }
  }
  return finish(std::move(step));
}

Step StateMachine::shutdown(TimePoint /*now*/) {
  Step step;
  if (state_ == State::master) {
    step.actions.push_back(advert(0));
    leave_master(step);
  }
  if (started_) step.actions.push_back(act(Action::Kind::notify_stop));
  started_ = false;
  state_ = State::init;
  resigned_.reset();
  wants_master_ = false;
  deadline_.reset();
  preempt_at_.reset();
  garp_repeat_at_.reset();
  garp_refresh_at_.reset();
  garp_lower_prio_at_.reset();
  return finish(std::move(step));
}

Step StateMachine::force_master(TimePoint now) {
  Step step;
  if (state_ == State::backup) {
    // The group moves because a member timed out or its master resigned: say which.
    const Reason why = wants_master_ ? resigned_.value_or(because(Reason::Kind::advert_timeout))
                                     : because(Reason::Kind::sync_group);
    become_master(step, now, why);
  }
  return finish(std::move(step));
}

Step StateMachine::force_backup(TimePoint now) {
  Step step;
  if (state_ == State::master) {
    enter_backup(step, now, master_down_interval(), because(Reason::Kind::sync_group));
  }
  wants_master_ = false;
  return finish(std::move(step));
}

Step StateMachine::set_group_fault(bool fault, TimePoint now) {
  Step step;
  if (group_fault_ != fault) {
    group_fault_ = fault;
    reconsider(step, now, because(Reason::Kind::sync_group));
  }
  return finish(std::move(step));
}

}  // namespace lvsctl::director::vrrp
