#pragma once
// The running director: one event loop that owns the VRRP runners, the health monitor, the
// datapath, the control socket, config reloads and signals (see daemon.hpp for the behaviour).
// run_director() builds it after the first config load, the run dir and the pid file.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/config/warning_history.hpp"
#include "director/daemon/accept_filter_tables.hpp"
#include "director/daemon/config_reload.hpp"
#include "director/daemon/control_socket.hpp"
#include "director/daemon/daemon.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/daemon_snapshot.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/interface_wait.hpp"
#include "director/daemon/link_monitor.hpp"
#include "director/daemon/route_install.hpp"
#include "director/daemon/metrics_server.hpp"
#include "director/daemon/pid_file.hpp"
#include "director/daemon/run_dir.hpp"
#include "director/daemon/script_runner.hpp"
#include "director/daemon/service_notify.hpp"
#include "director/daemon/signal_table.hpp"
#include "director/daemon/status_report.hpp"
#include "director/daemon/status_worker.hpp"
#include "director/daemon/vrrp_group.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/datapath/datapath.hpp"
#include "shared/conf/source_manifest.hpp"
#include "shared/event_loop.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {

class Daemon {
 public:
  Daemon(RunOptions options, std::unique_ptr<EventLoop> loop, netlink::RouteSocket rtnl,
         config::Config config, config::WarningHistory warnings, conf::SourceManifest sources,
         const PidFile& pid, FileIdentity run_dir);

  Status start();
  // systemd (Type=notify): the first configuration, or a reload, is applied.
  void service_ready();
  // 0 after a stop by signal, 1 when the daemon stopped because its run dir went away.
  int run();

 private:
  void update_service_status();
  Status start_health();
  Status install_signals();
  void on_signal(const SignalInfo& info);
  void dump(SignalAction action, const SignalInfo& info);
  void watch_run_dir();
  std::vector<const VrrpRunner*> running_instances() const;
  Status start_vrrp(const config::Config& config, const std::set<std::string>& keep);
  void start_waiting_vrrp();
  void on_link(const LinkEvent& link);
  void stop(const std::string& why);
  void stop_when_scripts_done(Clock::time_point deadline);
  void reload();
  void apply_reload(ReloadOutcome loaded);
  void answer(const std::string& request, ControlReply reply);
  bool is_master(const std::string& instance) const;
  datapath::HeldVips held_vips() const;
  void update_accept_filter();
  Status start_control();
  Status update_metrics();
  DaemonSnapshot snapshot() const;

  RunOptions options_;
  const PidFile& pid_;
  FileIdentity run_dir_;
  int exit_code_ = 0;
  std::set<int> ignored_signals_logged_;
  std::unique_ptr<EventLoop> loop_;
  netlink::RouteSocket rtnl_;
  NetworkSet static_network_{rtnl_, "static"};  // static_ipaddress/routes/rules
  config::Config config_;
  config::WarningHistory warnings_;  // of the last load, so a reload logs only new ones
  bool stopping_ = false;  // SIGTERM/SIGINT seen: no reload, no second shutdown
  conf::SourceManifest sources_;     // the files of the running configuration
  std::unique_ptr<datapath::Datapath> datapath_;  // set by start()
  datapath::HeldVips held_;  // as last given to datapath_
  AcceptFilterTables accept_filter_;  // no_accept: traffic to a MASTER's VIPs dropped
  DesiredTable desired_;  // config + health, kept so a health change recomputes only its part
  ScriptRunnerPool scripts_;
  std::unique_ptr<ConfigReload> reload_;
  std::unique_ptr<ControlSocket> control_;
  StatusWorker status_worker_;  // owns only its jobs: safe to destroy in any order
  std::unique_ptr<InterfaceWait> waiting_;  // instances whose interface is missing (FAULT)
  std::unique_ptr<LinkMonitor> links_;
  std::unique_ptr<HealthMonitor> health_;
  std::map<std::string, std::unique_ptr<VrrpRunner>> vrrp_;
  std::vector<std::unique_ptr<VrrpGroup>> vrrp_groups_;  // over vrrp_'s runners
  std::map<std::string, int> vrrp_ifindex_;  // instance -> its interface's index at its start
  DaemonSnapshot base_;  // version, start, config hash, reload counters: the rest is taken live
  std::unique_ptr<MetricsServer> metrics_;
  std::optional<config::ListenEndpoint> metrics_at_;
  ServiceNotify service_;
  TimerId service_status_timer_ = 0;  // 0: no STATUS= update pending
};

}  // namespace lvsctl::director
