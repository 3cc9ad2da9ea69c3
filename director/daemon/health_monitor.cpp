#include "director/daemon/health_monitor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "director/daemon/notify_fifo.hpp"
#include "director/daemon/script_security.hpp"

namespace lvsctl::director {

HealthMonitor::HealthMonitor(EventLoop& loop, const config::Config& config,
                             std::function<void()> on_change, ScriptRunner run_script)
    : loop_(loop),
      config_(config),
      on_change_(std::move(on_change)),
      run_script_(std::move(run_script)),
      plan_(check::check_plan(config)),
      keys_(check::virtual_server_keys(config)) {
  index_.resize(config.virtual_servers.size());
  for (std::size_t v = 0; v < config.virtual_servers.size(); ++v) {
    index_[v].assign(config.virtual_servers[v].real_servers.size(), SIZE_MAX);
  }
  for (std::size_t i = 0; i < plan_.origins.size(); ++i) {
    index_[plan_.origins[i].virtual_server][plan_.origins[i].real_server] = i;
  }
}

Result<std::unique_ptr<HealthMonitor>> HealthMonitor::start(EventLoop& loop,
                                                            const config::Config& config,
                                                            std::function<void()> on_change,
                                                            ScriptRunner run_script,
                                                            const HealthMonitor* previous) {
  std::unique_ptr<HealthMonitor> monitor(
      new HealthMonitor(loop, config, std::move(on_change), std::move(run_script)));
  monitor->vet_misc_scripts();
  auto engine = check::CheckEngine::create(
      loop, monitor->plan_.servers,
      [m = monitor.get()](std::size_t server, const check::HealthTransition& change) {
        m->on_transition(server, change);
      },
      config.global.tcp_check_mode);
  if (!engine) return engine.error();
  monitor->engine_ = std::move(*engine);
  if (previous && previous->engine_) {
    monitor->engine_->after_reload();
    const auto continued = check::continued_servers(previous->keys_, previous->plan_,
                                                    monitor->keys_, monitor->plan_);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < continued.size(); ++i) {
      if (!continued[i]) continue;
      monitor->engine_->carry_over(i, *previous->engine_, *continued[i]);
      ++kept;
    }
    spdlog::info("Health checks: {} real servers keep their state, {} start fresh", kept,
                 continued.size() - kept);
  }
  // FILE_CHECK: the files' first values settle the real servers' state before the quorum's.
  monitor->files_ = std::make_unique<FileCheckFeed>(
      loop, config, monitor->plan_,
      [m = monitor.get()](std::size_t server, std::size_t checker, const check::ProbeResult& r) {
        m->engine_->observe(server, checker, r);
      });
  monitor->starting_ = true;
  monitor->files_->start(previous != nullptr);
  monitor->starting_ = false;
  monitor->start_quorum(previous);
  monitor->engine_->start();
  return monitor;
}

HealthMonitor::~HealthMonitor() {
  if (files_) files_->stop();
  if (engine_) engine_->stop();
  loop_.cancel_timer(pending_);
}

DestinationHealth HealthMonitor::real_server(std::size_t vs, std::size_t rs) const {
  const std::size_t i = index_[vs][rs];
  if (i == SIZE_MAX || !engine_) {
    return DestinationHealth{true, config_.virtual_servers[vs].real_servers[rs].weight};
  }
  const auto& h = engine_->health(i);
  return DestinationHealth{h.healthy(), h.weight()};
}

long HealthMonitor::live_weight(std::size_t vs) const {
  return director::live_weight(config_, vs,
                               [this](std::size_t v, std::size_t r) { return real_server(v, r); });
}

HealthLookup HealthMonitor::lookup() const {
  HealthLookup lookup;
  lookup.real_server = [this](std::size_t vs, std::size_t rs) { return real_server(vs, rs); };
  lookup.quorum_up = [this](std::size_t vs) { return quorum_[vs].up(); };
  return lookup;
}

std::vector<std::size_t> HealthMonitor::take_changed() {
  std::sort(changed_.begin(), changed_.end());
  changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
  return std::exchange(changed_, {});
}

std::optional<Credentials> HealthMonitor::vetted(const config::ScriptCommand& script,
                                                 const char* what) {
  const std::string key = vetting_key(script);
  auto it = vetted_.find(key);
  if (it == vetted_.end()) {
    auto as = ScriptSecurity(config_.global).vet(script, what);
    if (!as) spdlog::error("{} '{}' disabled: {}", what, script.command, as.error().message);
    it = vetted_.emplace(key, as ? std::optional<Credentials>(*as) : std::nullopt).first;
  }
  return it->second;
}

// keepalived runs MISC_CHECK scripts under the same rules as notify scripts and drops a checker
// whose script is refused: it never runs and the real server keeps its start-up state.
void HealthMonitor::vet_misc_scripts() {
  for (std::size_t i = 0; i < plan_.servers.size(); ++i) {
    const auto& origin = plan_.origins[i];
    const auto& rs = config_.virtual_servers[origin.virtual_server].real_servers[origin.real_server];
    for (std::size_t c = 0; c < rs.checkers.size(); ++c) {
      const auto* misc = std::get_if<config::MiscCheck>(&rs.checkers[c].spec);
      if (!misc) continue;
      check::Checker& checker = plan_.servers[i].checkers[c];
      auto& run_as = std::get<config::MiscCheck>(checker.spec).run_as;
      run_as = vetted(misc->path, "MISC_CHECK script");
      checker.disabled = !run_as;
      // keepalived drops a MISC_CHECK without a usable user while parsing, before alpha marks
      // checkers down, so it no longer counts; one refused as unsafe is dropped after that and
      // leaves an alpha real server down.
      if (checker.disabled && !ScriptSecurity(config_.global).identity(misc->path)) {
        checker.alpha = false;
      }
    }
  }
}

// notify_fifo / lvs_notify_fifo: keepalived writes its line where it runs the matching script
// (configured or not).
void HealthMonitor::fifo(const std::string& line) const { run_script_.fifo(line); }

void HealthMonitor::run(const std::optional<config::ScriptCommand>& script) {
  if (!script || !run_script_) return;
  if (auto as = vetted(*script, "notify script")) run_script_(script->command, {}, *as);
}

// keepalived: a virtual server starts without quorum and gains it (quorum_up runs) when its
// live weight reaches quorum + hysteresis; one that starts without it runs quorum_down only
// when it has a sorry server. Across a reload an unchanged virtual server keeps its state.
void HealthMonitor::start_quorum(const HealthMonitor* previous) {
  // The previous state of virtual server `v`: looked for at the same index first (most reloads
  // keep the order); the map of all previous keys is built only when it is not there.
  std::map<std::string_view, const check::QuorumState*> before;
  auto previous_state = [&](std::size_t v) -> const check::QuorumState* {
    if (!previous) return nullptr;
    if (v < previous->keys_.size() && previous->keys_[v] == keys_[v]) return &previous->quorum_[v];
    if (before.empty()) {
      for (std::size_t p = 0; p < previous->keys_.size(); ++p) {
        before.emplace(previous->keys_[p], &previous->quorum_[p]);
      }
    }
    auto it = before.find(keys_[v]);
    return it == before.end() ? nullptr : it->second;
  };
  quorum_.reserve(config_.virtual_servers.size());
  for (std::size_t v = 0; v < config_.virtual_servers.size(); ++v) {
    const auto& vs = config_.virtual_servers[v];
    quorum_.emplace_back(vs.quorum, vs.hysteresis);
    const check::QuorumState* kept = previous_state(v);
    if (kept && kept->same_settings(quorum_.back())) {
      quorum_.back() = *kept;
      update_quorum(v);
      continue;
    }
    const auto change = quorum_.back().update(live_weight(v));
    if (change) {
      spdlog::debug("{} {}", vs.display_name(), change->message);
      run(vs.quorum_up);
      fifo(lvs_fifo_vs_line(vs, true));
    } else if (vs.sorry_server) {
      spdlog::info("{} starting with quorum down ({} needed): sorry server in use",
                   vs.display_name(), quorum_.back().threshold());
      run(vs.quorum_down);
      fifo(lvs_fifo_vs_line(vs, false));
    }
  }
}

void HealthMonitor::update_quorum(std::size_t v) {
  const auto& vs = config_.virtual_servers[v];
  const auto change = quorum_[v].update(live_weight(v));
  if (!change) return;
  const char* sorry = !vs.sorry_server ? "" : change->up ? ": sorry server out" : ": sorry server in";
  if (change->up) {
    spdlog::info("{} {}{}", vs.display_name(), change->message, sorry);
  } else {
    spdlog::warn("{} {}{}", vs.display_name(), change->message, sorry);
  }
  run(change->up ? vs.quorum_up : vs.quorum_down);
  fifo(lvs_fifo_vs_line(vs, change->up));
}

void HealthMonitor::on_transition(std::size_t server, const check::HealthTransition& change) {
  const auto& origin = plan_.origins[server];
  const auto& vs = config_.virtual_servers[origin.virtual_server];
  const auto& rs = vs.real_servers[origin.real_server];
  if (change.healthy) {
    spdlog::info("{} {}", vs.display_name(), change.message);
  } else {
    spdlog::warn("{} {}", vs.display_name(), change.message);
  }
  // The first state, before any quorum: no script; the daemon builds its table after start().
  if (starting_) return;
  changed_.push_back(origin.virtual_server);
  run(change.healthy ? rs.notify_up : rs.notify_down);
  fifo(lvs_fifo_rs_line(vs, rs, change.healthy));
  update_quorum(origin.virtual_server);
  // Coalesce: one table update for all transitions of this loop round.
  if (pending_ == 0) {
    pending_ = loop_.after(std::chrono::milliseconds(0), [this] {
      pending_ = 0;
      on_change_();
    });
  }
}

void HealthMonitor::shutdown() {
  if (files_) files_->stop();
  if (engine_) engine_->stop();
  loop_.cancel_timer(pending_);
  pending_ = 0;
  for (std::size_t v = 0; v < config_.virtual_servers.size(); ++v) {
    const auto& vs = config_.virtual_servers[v];
    if (!vs.omega) continue;
    for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
      if (!real_server(v, r).up) continue;
      run(vs.real_servers[r].notify_down);
      fifo(lvs_fifo_rs_line(vs, vs.real_servers[r], false));
    }
    run(vs.quorum_down);
    fifo(lvs_fifo_vs_line(vs, false));
  }
}

// Health, weights, quorum and check counters change only with a probe's result (CheckEngine's
// on_result, which runs on_transition and so update_quorum): completed_probes() versions them.
SharedList<VirtualServerSnapshot> HealthMonitor::snapshot() const {
  const std::uint64_t at = engine_ ? engine_->completed_probes() : 0;
  if (snapshot_at_ != at) {
    snapshot_ = SharedList<VirtualServerSnapshot>(build_snapshot());
    snapshot_at_ = at;
    ++snapshots_built_;
  }
  return snapshot_;
}

std::vector<VirtualServerSnapshot> HealthMonitor::build_snapshot() const {
  std::vector<VirtualServerSnapshot> out;
  out.reserve(config_.virtual_servers.size());
  for (std::size_t v = 0; v < config_.virtual_servers.size(); ++v) {
    const auto& vs = config_.virtual_servers[v];
    VirtualServerSnapshot snap;
    if (vs.kind == config::VirtualServerKind::Address) {
      snap.kind = "address";
      snap.address = vs.address.to_string();
      snap.port = vs.port;
    } else if (vs.kind == config::VirtualServerKind::Fwmark) {
      snap.kind = "fwmark";
      snap.fwmark = vs.fwmark;
    } else {
      snap.kind = "group";
      snap.group = vs.group;
    }
    snap.protocol = config::to_string(vs.protocol.value_or(config::Protocol::Tcp));
    snap.quorum_up = quorum_[v].up();
    for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
      const auto& rs = vs.real_servers[r];
      const std::size_t i = index_[v][r];
      RealServerSnapshot real;
      real.address = rs.address.to_string();
      real.port = rs.port;
      real.configured_weight = rs.weight;
      if (i == SIZE_MAX || !engine_) {
        real.up = true;
        real.weight = rs.weight;
      } else {
        const auto& h = engine_->health(i);
        real.checked = h.checker_count() > 0;
        real.up = h.healthy();
        real.weight = h.weight();
        if (const auto& last = h.last_check()) {
          real.checker = check::to_string(last->kind);
          real.last_check_success = last->success;
          real.last_check_reason = last->reason;
        }
        real.checks = engine_->stats(i);
      }
      snap.real_servers.push_back(std::move(real));
    }
    out.push_back(std::move(snap));
  }
  return out;
}

}  // namespace lvsctl::director
