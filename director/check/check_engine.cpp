#include "director/check/check_engine.hpp"

#include <algorithm>

#include "director/check/check_schedule.hpp"
#include "director/check/syn_probe.hpp"

namespace lvsctl::director::check {

Result<std::unique_ptr<CheckEngine>> CheckEngine::create(EventLoop& loop, std::vector<RealServerConfig> servers,
                                                         TransitionHandler on_transition,
                                                         config::TcpCheckMode tcp_mode) {
  std::unique_ptr<CheckEngine> engine(new CheckEngine(loop, std::move(servers), std::move(on_transition)));
  const bool needs_tls = std::any_of(engine->servers_.begin(), engine->servers_.end(), [](const auto& rs) {
    return std::any_of(rs.checkers.begin(), rs.checkers.end(),
                       [](const Checker& c) { return c.kind == CheckerKind::SslGet; });
  });
  if (needs_tls) {
    auto tls = TlsClientContext::create();
    if (!tls) return tls.error();
    engine->tls_ = std::move(tls).value();
  }
  // In syn mode IPv4 TCP_CHECKs are SYN probes; without CAP_NET_RAW they connect() (logged once).
  engine->syn_ = open_syn_prober(loop, engine->servers_, tcp_mode);
  for (std::size_t s = 0; s < engine->servers_.size(); ++s) {
    for (std::size_t c = 0; c < engine->servers_[s].checkers.size(); ++c) {
      auto slot = std::make_unique<Slot>();
      slot->server = s;
      slot->checker = c;
      slot->probe = engine->new_probe(*slot);
      engine->slots_.push_back(std::move(slot));
    }
  }
  return engine;
}

std::unique_ptr<Probe> CheckEngine::new_probe(const Slot& slot) const {
  const RealServerConfig& rs = servers_[slot.server];
  const Checker& checker = rs.checkers[slot.checker];
  if (checker.disabled) return nullptr;
  return make_probe(ProbeContext{loop_, tls_.get(), syn_.get()}, checker);
}

CheckEngine::CheckEngine(EventLoop& loop, std::vector<RealServerConfig> servers, TransitionHandler on_transition)
    : loop_(loop), servers_(std::move(servers)), on_transition_(std::move(on_transition)) {
  health_.reserve(servers_.size());
  for (const auto& rs : servers_) health_.emplace_back(rs);
  stats_.resize(servers_.size());
  carried_.assign(servers_.size(), false);
}

CheckEngine::~CheckEngine() { stop(); }

std::size_t CheckEngine::first_slot(std::size_t server) const {
  auto it = std::lower_bound(slots_.begin(), slots_.end(), server,
                             [](const auto& slot, std::size_t s) { return slot->server < s; });
  return static_cast<std::size_t>(it - slots_.begin());
}

void CheckEngine::carry_over(std::size_t to, const CheckEngine& previous, std::size_t from) {
  health_.at(to) = previous.health_.at(from);
  stats_.at(to) = previous.stats_.at(from);
  carried_.at(to) = true;
  const std::size_t mine = first_slot(to);
  const std::size_t theirs = previous.first_slot(from);
  for (std::size_t c = 0; c < servers_[to].checkers.size(); ++c) {
    const Slot& old = *previous.slots_.at(theirs + c);
    slots_.at(mine + c)->resume = old.timer != 0 ? old.due : loop_.now();
  }
}

void CheckEngine::after_reload() {
  for (std::size_t s = 0; s < servers_.size(); ++s) {
    if (!carried_[s]) health_[s] = RealServerHealth(servers_[s], CheckerStart::Reload);
  }
}

void CheckEngine::start(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (auto& slot_ptr : slots_) {
    Slot& slot = *slot_ptr;
    if (!slot.probe) continue;  // disabled: never runs
    const Duration warmup = servers_[slot.server].checkers[slot.checker].warmup;
    Duration first{0};
    if (warmup.count() > 0) {
      std::uniform_int_distribution<Duration::rep> pick(0, warmup.count());
      first = Duration(pick(rng));
    }
    if (slot.timer != 0) loop_.cancel_timer(slot.timer);
    slot.due = slot.resume ? std::max(*slot.resume, loop_.now()) : loop_.now() + first;
    slot.resume.reset();
    arm(slot);
  }
}

void CheckEngine::arm(Slot& slot) {
  slot.timer = loop_.add_timer(wake_time(slot.due), [this, &slot] {
    slot.timer = 0;
    launch(slot);
  });
}

void CheckEngine::stop() {
  for (auto& slot_ptr : slots_) {
    Slot& slot = *slot_ptr;
    if (slot.timer != 0) {
      loop_.cancel_timer(slot.timer);
      slot.timer = 0;
    }
    // A probe cancels its running attempt when destroyed: replace it with a fresh, idle one.
    slot.probe = new_probe(slot);
  }
}

void CheckEngine::launch(Slot& slot) {
  slot.started = loop_.now();
  slot.probe->start([this, &slot](ProbeResult result) { on_result(slot, std::move(result)); });
}

RealServerHealth::Outcome CheckEngine::record(std::size_t server, std::size_t checker,
                                              const ProbeResult& result, double seconds) {
  ++completed_;  // a probe's or an observed (FILE_CHECK) result: what snapshots are versioned by
  const auto outcome = health_[server].record(checker, result, loop_.now());
  const auto wall = std::chrono::system_clock::now();
  CheckStats& stats = stats_[server];
  stats.record(result.success, result.reason, seconds, wall);
  if (outcome.transition) stats.transition(wall);
  return outcome;
}

void CheckEngine::on_result(Slot& slot, ProbeResult result) {
  const TimePoint now = loop_.now();
  const auto outcome = record(slot.server, slot.checker, result,
                              std::chrono::duration<double>(now - slot.started).count());
  const bool regular = !health_[slot.server].checker(slot.checker).retrying();
  slot.due = next_due(slot.due, now, outcome.next_delay, regular);
  arm(slot);
  if (outcome.transition && on_transition_) on_transition_(slot.server, *outcome.transition);
}

void CheckEngine::observe(std::size_t server, std::size_t checker, const ProbeResult& result) {
  const auto outcome = record(server, checker, result, 0.0);
  if (outcome.transition && on_transition_) on_transition_(server, *outcome.transition);
}

}  // namespace lvsctl::director::check
