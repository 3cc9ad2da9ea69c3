#include "director/daemon/health_monitor.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace lvsctl::director {

HealthMonitor::HealthMonitor(EventLoop& loop, const config::Config& config,
                             std::function<void()> on_change, ScriptRunner run_script)
    : loop_(loop),
      config_(config),
      on_change_(std::move(on_change)),
      run_script_(std::move(run_script)),
      plan_(check::check_plan(config)) {
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
                                                            ScriptRunner run_script) {
  std::unique_ptr<HealthMonitor> monitor(
      new HealthMonitor(loop, config, std::move(on_change), std::move(run_script)));
  auto engine = check::CheckEngine::create(
      loop, monitor->plan_.servers,
      [m = monitor.get()](std::size_t server, const check::HealthTransition& change) {
        m->on_transition(server, change);
      });
  if (!engine) return engine.error();
  monitor->engine_ = std::move(*engine);
  monitor->engine_->start();
  return monitor;
}

HealthMonitor::~HealthMonitor() {
  if (engine_) engine_->stop();
  loop_.cancel_timer(pending_);
}

HealthLookup HealthMonitor::lookup() const {
  return [this](std::size_t vs, std::size_t rs) {
    const std::size_t i = index_[vs][rs];
    if (i == SIZE_MAX || !engine_) {
      return DestinationHealth{true, config_.virtual_servers[vs].real_servers[rs].weight};
    }
    const auto& h = engine_->health(i);
    return DestinationHealth{h.healthy(), h.weight()};
  };
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
  const auto& script = change.healthy ? rs.notify_up : rs.notify_down;
  if (script && run_script_) run_script_(script->command, {});
  // Coalesce: one table update for all transitions of this loop round.
  if (pending_ == 0) {
    pending_ = loop_.after(std::chrono::milliseconds(0), [this] {
      pending_ = 0;
      on_change_();
    });
  }
}

void HealthMonitor::write_json(JsonWriter& j) const {
  j.key("virtual_servers").begin_array();
  for (std::size_t v = 0; v < config_.virtual_servers.size(); ++v) {
    const auto& vs = config_.virtual_servers[v];
    j.begin_object();
    if (vs.kind == config::VirtualServerKind::Address) {
      j.key("address").value(vs.address.to_string());
      j.key("port").value(static_cast<unsigned>(vs.port));
    } else if (vs.kind == config::VirtualServerKind::Fwmark) {
      j.key("fwmark").value(static_cast<std::uint64_t>(vs.fwmark));
    } else {
      j.key("group").value(vs.group);
    }
    j.key("protocol").value(config::to_string(vs.protocol.value_or(config::Protocol::Tcp)));
    j.key("real_servers").begin_array();
    for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
      const auto& rs = vs.real_servers[r];
      const std::size_t i = index_[v][r];
      j.begin_object();
      j.key("address").value(rs.address.to_string());
      j.key("port").value(static_cast<unsigned>(rs.port));
      if (i == SIZE_MAX || !engine_) {
        j.key("healthy").value(true);
        j.key("weight").value(rs.weight);
        j.key("last_check").null();
      } else {
        const auto& h = engine_->health(i);
        j.key("healthy").value(h.healthy());
        j.key("weight").value(h.weight());
        if (const auto& last = h.last_check()) {
          j.key("last_check").begin_object();
          j.key("checker").value(check::to_string(last->kind));
          j.key("result").value(last->success ? "success" : "failure");
          j.key("reason").value(last->reason);
          j.end_object();
        } else {
          j.key("last_check").null();
        }
      }
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

}  // namespace lvsctl::director
