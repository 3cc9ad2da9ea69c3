#pragma once
// HealthMonitor: the daemon's view of real-server health. It runs the check engine over every
// real server of the config, logs each transition once with its reason, runs notify_up /
// notify_down, keeps each virtual server's quorum (QuorumState, quorum_up / quorum_down scripts,
// the sorry server through HealthLookup::quorum_up), and tells the daemon that the IPVS table
// should follow (coalesced: many transitions in one loop round give one callback). MISC_CHECK
// scripts run as script_user & co. (ScriptSecurity), vetted once per configuration load.
// FILE_CHECKs follow their track files (FileCheckFeed); the files are read before the quorum
// is first computed, so a real server starts in the state its file gives it (a change found
// then is logged, and no notify script runs for it, as keepalived runs none at start).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "director/check/check_engine.hpp"
#include "director/check/from_config.hpp"
#include "director/check/quorum_state.hpp"
#include "director/config/model.hpp"
#include "director/daemon/daemon_snapshot.hpp"
#include "director/daemon/file_check_feed.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "shared/event_loop.hpp"
#include "shared/json_writer.hpp"
#include "shared/process.hpp"

namespace lvsctl::director {

class HealthMonitor {
 public:
  // `config` must outlive the monitor (the daemon replaces both together on reload); `previous`
  // may already refer to a replaced config: only its own copies are read.
  // `previous`: the still running monitor of the configuration being replaced (SIGHUP). Real
  // servers whose checks did not change (check::continued_servers) keep their health and check
  // schedule, and virtual servers keep their quorum state; the rest start fresh.
  static Result<std::unique_ptr<HealthMonitor>> start(EventLoop& loop,
                                                      const config::Config& config,
                                                      std::function<void()> on_change,
                                                      ScriptRunner run_script,
                                                      const HealthMonitor* previous = nullptr);
  ~HealthMonitor();

  // Health and quorum as the IPVS table needs them. Real servers without checkers are always up.
  HealthLookup lookup() const;

  // The virtual servers (indexes into config.virtual_servers, ascending, each once) whose real
  // servers' health or quorum changed since the last call: the daemon recomputes only their
  // services (DesiredTable::update) when on_change runs.
  std::vector<std::size_t> take_changed();

  // On daemon shutdown, for virtual servers with `omega` (keepalived): notify_down of every live
  // real server, then quorum_down. Checks stop.
  void shutdown();

  // Each virtual server with its quorum and each real server's health, weight, last check and
  // check counters (DaemonSnapshot). Built again only when a check completed since the last call
  // (every change of health, weight, quorum or counters follows a check result): otherwise the
  // same list, at the cost of a pointer copy.
  SharedList<VirtualServerSnapshot> snapshot() const;
  // How many times snapshot() built its list (tests).
  std::uint64_t snapshots_built() const { return snapshots_built_; }

 private:
  HealthMonitor(EventLoop& loop, const config::Config& config, std::function<void()> on_change,
                ScriptRunner run_script);
  DestinationHealth real_server(std::size_t vs, std::size_t rs) const;
  long live_weight(std::size_t vs) const;
  void start_quorum(const HealthMonitor* previous);
  void update_quorum(std::size_t vs);
  void on_transition(std::size_t server, const check::HealthTransition& change);
  // Who runs `script` (ScriptSecurity), vetted once per (command, user, group); nullopt: refused
  // (logged once, naming it `what`).
  std::optional<Credentials> vetted(const config::ScriptCommand& script, const char* what);
  void vet_misc_scripts();  // sets misc_run_as / disabled in plan_ before the engine is built
  void run(const std::optional<config::ScriptCommand>& script);
  std::vector<VirtualServerSnapshot> build_snapshot() const;
  void fifo(const std::string& line) const;

  EventLoop& loop_;
  const config::Config& config_;
  std::function<void()> on_change_;
  ScriptRunner run_script_;
  check::CheckPlan plan_;
  std::vector<std::string> keys_;  // check::virtual_server_keys(config_): read by the next monitor
  // index_[vs][rs] -> engine server index
  std::vector<std::vector<std::size_t>> index_;
  std::vector<check::QuorumState> quorum_;  // per virtual server
  std::unique_ptr<check::CheckEngine> engine_;
  std::unique_ptr<FileCheckFeed> files_;  // FILE_CHECK: after engine_, stopped before it
  bool starting_ = false;                 // the track files' first reading (start())
  TimerId pending_ = 0;
  std::vector<std::size_t> changed_;  // virtual servers with transitions since take_changed()
  // notify/quorum/MISC_CHECK scripts vetted once (command, user, group -> who runs it; nullopt:
  // refused).
  std::map<std::string, std::optional<Credentials>> vetted_;
  // snapshot()'s list and the engine's completed_probes() it was built at.
  mutable SharedList<VirtualServerSnapshot> snapshot_;
  mutable std::optional<std::uint64_t> snapshot_at_;
  mutable std::uint64_t snapshots_built_ = 0;
};

}  // namespace lvsctl::director
