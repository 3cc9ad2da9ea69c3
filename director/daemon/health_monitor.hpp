#pragma once
// HealthMonitor: the daemon's view of real-server health. It runs the check engine over every
// real server of the config, logs each transition once with its reason, runs notify_up /
// notify_down, and tells the daemon that the IPVS table should follow (coalesced: many
// transitions in one loop round give one callback).
#include <functional>
#include <memory>
#include <vector>

#include "director/check/check_engine.hpp"
#include "director/check/from_config.hpp"
#include "director/config/model.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "shared/event_loop.hpp"
#include "shared/json_writer.hpp"

namespace lvsctl::director {

class HealthMonitor {
 public:
  // `config` must outlive the monitor (the daemon replaces both together on reload).
  static Result<std::unique_ptr<HealthMonitor>> start(EventLoop& loop,
                                                      const config::Config& config,
                                                      std::function<void()> on_change,
                                                      ScriptRunner run_script);
  ~HealthMonitor();

  // Health as the IPVS table needs it. Real servers without checkers are always up.
  HealthLookup lookup() const;

  // `virtual_servers[]` for `director status --json`: address, port, protocol, and each real
  // server's address, port, healthy, weight and last_check {result, reason}.
  void write_json(JsonWriter& json) const;

 private:
  HealthMonitor(EventLoop& loop, const config::Config& config, std::function<void()> on_change,
                ScriptRunner run_script);
  void on_transition(std::size_t server, const check::HealthTransition& change);

  EventLoop& loop_;
  const config::Config& config_;
  std::function<void()> on_change_;
  ScriptRunner run_script_;
  check::CheckPlan plan_;
  // index_[vs][rs] -> engine server index
  std::vector<std::vector<std::size_t>> index_;
  std::unique_ptr<check::CheckEngine> engine_;
  TimerId pending_ = 0;
};

}  // namespace lvsctl::director
