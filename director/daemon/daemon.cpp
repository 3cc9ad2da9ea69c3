#include "director/daemon/daemon.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "director/config/load.hpp"
#include "director/config/warning_history.hpp"
#include "director/daemon/config_reload.hpp"
#include "director/daemon/control_socket.hpp"
#include "director/daemon/dump_file.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/link_monitor.hpp"
#include "director/daemon/pid_file.hpp"
#include "director/daemon/route_install.hpp"
#include "director/daemon/run_dir.hpp"
#include "director/daemon/script_runner.hpp"
#include "director/daemon/service_notify.hpp"
#include "director/daemon/signal_table.hpp"
#include "director/daemon/status_report.hpp"
#include "director/daemon/status_worker.hpp"
#include "director/daemon/vrrp_group.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/daemon/vrrp_signature.hpp"
#include "director/datapath/make_datapath.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/event_loop.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {
namespace {

// Logs the errors and the warnings `history` has not seen at the last load (the others as one
// count, so a reload does not repeat every deprecation), the first 100 lines and then a count, as
// check-config prints them; true when the config may be used.
bool report(const config::ParsedConfig& parsed, config::WarningHistory& history) {
  std::size_t shown = 0;
  std::size_t hidden = 0;
  const auto log = [&](spdlog::level::level_enum level, const conf::Diagnostic& d) {
    if (shown++ < conf::kMaxDiagnosticsShown) {
      spdlog::log(level, "{}", conf::format(d));
    } else {
      ++hidden;
    }
  };
  for (const auto& d : parsed.diags) {
    if (d.severity == conf::Severity::Error) log(spdlog::level::err, d);
  }
  const auto warnings = history.update(parsed.diags);
  for (const auto* d : warnings.fresh) log(spdlog::level::warn, *d);
  if (hidden > 0) spdlog::warn("... and {} more diagnostics not logged", hidden);
  if (warnings.repeated > 0) {
    spdlog::info("{} warning{} (unchanged since the last load, not repeated)", warnings.repeated,
                 warnings.repeated == 1 ? "" : "s");
  }
  return !conf::has_errors(parsed.diags);
}

class Daemon {
 public:
  Daemon(RunOptions options, std::unique_ptr<EventLoop> loop, netlink::RouteSocket rtnl,
         config::Config config, config::WarningHistory warnings, conf::SourceManifest sources,
         const PidFile& pid, FileIdentity run_dir)
      : options_(std::move(options)),
        pid_(pid),
        run_dir_(run_dir),
        loop_(std::move(loop)),
        rtnl_(std::move(rtnl)),
        config_(std::move(config)),
        warnings_(std::move(warnings)),
        sources_(std::move(sources)),
        scripts_(*loop_) {}

  Status start() {
    auto control = ControlSocket::listen(
        *loop_, control_socket_path(options_.run_dir),
        [this](const std::string& request, ControlReply reply) {
          answer(request, std::move(reply));
        });
    if (!control) return control.error();
    control_ = std::move(*control);
    auto loader = ConfigReload::create(
        *loop_, options_.config_path,
        [this]() -> const conf::SourceManifest* { return health_ ? &sources_ : nullptr; },
        [this](ReloadOutcome loaded) {
          apply_reload(std::move(loaded));
          if (!stopping_) service_ready();  // applied, rejected or unchanged: running again
        },
        [language = options_.language](const std::string& path, const conf::SourceManifest* running) {
          return ConfigReload::default_loader(path, running, language);
        });
    if (!loader) return loader.error();
    reload_ = std::move(*loader);
    if (auto st = install_signals(); !st) return st;
    watch_run_dir();
    auto links = LinkMonitor::start(*loop_, [this](const std::string& ifname, bool up) {
      for (auto& [name, runner] : vrrp_) runner->on_link(ifname, up);
    });
    if (!links) return links.error();
    links_ = std::move(*links);

    auto datapath = datapath::make_datapath(*loop_, config_, options_.lb_backend);
    if (!datapath) return datapath.error();
    datapath_ = std::move(*datapath);
    if (auto st = start_health(); !st) return st;
    datapath_->apply(desired_table(config_, health_->lookup()), datapath::HeldVips::everything(),
                     config_.global.lvs_flush);
    apply_static_network(static_network_, config_);
    scripts_.set_notify_fifos(config_.global);
    return start_vrrp(config_, {});
  }

  // systemd (Type=notify): the first configuration, or a reload, is applied. While a service
  // manager listens, STATUS= follows the VRRP states and health checks (checked every second:
  // cheaper than a hook in every transition, and soon enough for `systemctl status`).
  void service_ready() {
    service_.ready();
    if (!ServiceNotify::wanted() || service_status_timer_) return;
    update_service_status();
  }

  void update_service_status() {
    service_status_timer_ = 0;
    if (stopping_) return;
    std::vector<std::pair<std::string, std::string_view>> states;
    for (const auto* runner : running_instances()) {
      states.emplace_back(runner->instance().name, vrrp::to_string(runner->machine().state()));
    }
    std::size_t up = 0;
    std::size_t total = 0;
    const auto health = health_ ? health_->lookup() : all_healthy(config_);
    for (std::size_t vs = 0; vs < config_.virtual_servers.size(); ++vs) {
      for (std::size_t rs = 0; rs < config_.virtual_servers[vs].real_servers.size(); ++rs) {
        ++total;
        if (health.real_server(vs, rs).up) ++up;
      }
    }
    service_.status(service_status_line(states, up, total));
    service_status_timer_ =
        loop_->after(std::chrono::seconds(1), [this] { update_service_status(); });
  }

  // 0 after a stop by signal, 1 when the daemon stopped because its run dir went away.
  int run() {
    if (auto st = loop_->run(); !st) {
      spdlog::error("{}", st.error().message);
      return 1;
    }
    return exit_code_;
  }

  // Health checks drive the IPVS table: every change re-plans it against the kernel. On a
  // reload the running monitor hands the state of unchanged real servers to the new one.
  Status start_health() {
    auto health = HealthMonitor::start(
        *loop_, config_,
        [this] {
          datapath_->apply(desired_table(config_, health_->lookup()),
                           datapath::HeldVips::everything());
        },
        scripts_.runner(), health_.get());
    if (!health) {
      health_.reset();
      return health.error();
    }
    health_ = std::move(*health);
    return {};
  }

 private:
  // Every signal that would kill by default has an outcome (signal_table): none can take the
  // daemon down without its shutdown.
  Status install_signals() {
    for (int sig : handled_signals()) {
      auto st = loop_->on_signal(sig, [this](const SignalInfo& info) { on_signal(info); });
      if (!st) return st;
    }
    ::signal(SIGPIPE, SIG_IGN);
    return {};
  }

  void on_signal(const SignalInfo& info) {
    const auto action = signal_action(info.signo);
    switch (action) {
      case SignalAction::Reload:
        reload();
        return;
      case SignalAction::Stop:
        stop(fmt::format("on signal {}", info.signo));
        return;
      case SignalAction::DumpData:
      case SignalAction::DumpStats:
      case SignalAction::DumpJson:
        dump(action, info);
        return;
      case SignalAction::Ignore:
        if (ignored_signals_logged_.insert(info.signo).second) {
          spdlog::warn("{} from pid {} ignored (logged once per signal)", signal_name(info.signo),
                       info.pid);
        }
        return;
    }
  }

  // keepalived's dump signals: the instances' state as `director status` shows it, without the
  // kernel's IPVS table (reading it is not loop work). Written at once, on the loop: a few KB.
  void dump(SignalAction action, const SignalInfo& info) {
    IpvsSummary ipvs = ipvs_summary();
    ipvs.available = false;
    ipvs.unavailable_reason = "the kernel table is not in signal dumps; see lvsctl director status";
    const auto runners = running_instances();
    const std::string content =
        action == SignalAction::DumpData
            ? StatusAnswer::text(runners, ipvs).finish(ipvs::Table{})
            : StatusAnswer::json(runners, ipvs, health_.get()).finish(ipvs::Table{});
    const std::string path = options_.dump_dir + "/" + dump_file_name(action);
    if (auto st = write_dump_file(path, content); !st) {
      spdlog::error("{} from pid {}: {}", signal_name(info.signo), info.pid, st.error().message);
      return;
    }
    spdlog::info("{} from pid {}: state written to {} ({} bytes)", signal_name(info.signo),
                 info.pid, path, content.size());
  }

  // The run dir, our pid file or our socket removed or replaced: another daemon could now start
  // beside this one (and on exit this one would remove its files). Checked every 2 s; stop
  // cleanly (priority 0, VIPs removed) rather than run on unseen.
  void watch_run_dir() {
    loop_->after(std::chrono::seconds(2), [this] {
      if (stopping_) return;
      std::string gone;
      if (!run_dir_unchanged(options_.run_dir, run_dir_)) {
        gone = "run directory " + options_.run_dir;
      } else if (!pid_.still_ours()) {
        gone = "pid file " + pid_.path();
      } else if (control_ && !control_->still_ours()) {
        gone = "control socket " + control_->path();
      }
      if (gone.empty()) {
        watch_run_dir();
        return;
      }
      spdlog::error("{} was removed or replaced; stopping", gone);
      exit_code_ = 1;
      stop("(" + gone + " gone)");
    });
  }

  std::vector<const VrrpRunner*> running_instances() const {
    std::vector<const VrrpRunner*> runners;
    for (const auto& instance : config_.vrrp_instances) {
      if (auto it = vrrp_.find(instance.name); it != vrrp_.end()) {
        runners.push_back(it->second.get());
      }
    }
    return runners;
  }

  // Starts the instances of `config` whose name is not in `keep`.
  // Sync groups are rebuilt over all runners before the new ones start.
  Status start_vrrp(const config::Config& config, const std::map<std::string, bool>& keep) {
    Status result;
    std::vector<VrrpRunner*> fresh;
    for (const auto& instance : config.vrrp_instances) {
      if (keep.count(instance.name)) continue;
      auto runner = VrrpRunner::create(*loop_, rtnl_, config, instance, scripts_.runner());
      if (!runner) {
        result = runner.error();
        continue;
      }
      auto& slot = vrrp_[instance.name];
      slot = std::move(*runner);
      fresh.push_back(slot.get());
    }
    vrrp_groups_ = make_vrrp_groups(config, vrrp_);
    for (auto* runner : fresh) {
      runner->start();
      const auto& ifname = runner->instance().interface;
      if (!LinkMonitor::is_up(ifname)) runner->on_link(ifname, false);
    }
    return result;
  }

  void stop(const std::string& why) {
    if (stopping_) return;  // a second signal while scripts finish changes nothing
    stopping_ = true;
    spdlog::info("Stopping {}", why);
    service_.stopping();
    for (auto& [name, runner] : vrrp_) runner->shutdown();
    static_network_.remove();  // static_* leave with the daemon, as keepalived's do
    if (health_) health_->shutdown();
    stop_when_scripts_done(loop_->now() + std::chrono::seconds(1));
  }

  // Scripts started on the way out (notify, omega) get up to a second, as keepalived gives them.
  void stop_when_scripts_done(Clock::time_point deadline) {
    if (scripts_.running() == 0 || loop_->now() >= deadline) {
      loop_->stop();
      return;
    }
    loop_->after(std::chrono::milliseconds(20), [this, deadline] { stop_when_scripts_done(deadline); });
  }

  // SIGHUP: the files are read and parsed on reload_'s worker thread (a FIFO include or a slow
  // disk never holds the loop); apply_reload() takes the result on the loop. A SIGHUP during a
  // load queues one more load after it.
  void reload() {
    if (stopping_) return;
    spdlog::info("Reloading {}", options_.config_path);
    service_.reloading();
    reload_->request();
  }

  void apply_reload(ReloadOutcome loaded) {
    if (stopping_) return;
    const std::chrono::duration<double> parse_time(loaded.seconds);
    const auto started = std::chrono::steady_clock::now() -
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(parse_time);
    // The same bytes in the same files: loading them again would give the running config.
    // (Unless health checks failed to start at the last load: then a reload retries them.)
    if (!loaded.parsed) {
      spdlog::info("Reload: configuration unchanged ({} file{}, same content); nothing to do "
                   "(checked in {:.3f} s)",
                   sources_.files.size(), sources_.files.size() == 1 ? "" : "s", parse_time.count());
      return;
    }
    auto parsed = std::move(*loaded.parsed);
    if (!report(parsed, warnings_) || !datapath::accepts(*datapath_, parsed.config)) {
      spdlog::error("Reload rejected: {} has errors; the running configuration stays",
                    options_.config_path);
      return;
    }
    sources_ = std::move(parsed.sources);
    // VRRP: instances whose settings did not change keep running untouched; those with only
    // in-place settings changed (priority, advert_int, preempt, weights, notify) keep their state
    // and send the new values; the others restart (see classify_vrrp_reload).
    std::map<std::string, bool> keep;
    for (const auto& instance : parsed.config.vrrp_instances) {
      auto old = std::find_if(config_.vrrp_instances.begin(), config_.vrrp_instances.end(),
                              [&](const auto& i) { return i.name == instance.name; });
      auto running = vrrp_.find(instance.name);
      if (old == config_.vrrp_instances.end() || running == vrrp_.end()) continue;
      const auto kind = classify_vrrp_reload(config_, *old, parsed.config, instance);
      if (kind == VrrpReload::restart) continue;
      if (kind == VrrpReload::update) running->second->update(parsed.config, instance);
      keep[instance.name] = true;
    }
    for (auto it = vrrp_.begin(); it != vrrp_.end();) {
      if (keep.count(it->first)) {
        ++it;
        continue;
      }
      it->second->shutdown();
      it = vrrp_.erase(it);
    }
    config_ = std::move(parsed.config);  // health_ keeps its own copies until replaced
    apply_static_network(static_network_, config_);
    scripts_.set_notify_fifos(config_.global);
    if (auto st = start_health(); !st) spdlog::error("Reload: {}", st.error().message);
    if (auto st = start_vrrp(config_, keep); !st) spdlog::error("Reload: {}", st.error().message);
    const auto desired_start = std::chrono::steady_clock::now();
    auto desired = desired_table(config_, health_ ? health_->lookup() : all_healthy(config_));
    const std::chrono::duration<double> desired_time =
        std::chrono::steady_clock::now() - desired_start;
    const auto ipvs = datapath_->apply(desired, datapath::HeldVips::everything());
    const std::chrono::duration<double> total = std::chrono::steady_clock::now() - started;
    spdlog::info("Reloaded in {:.3f} s (parse {:.3f} s, VRRP and health checks {:.3f} s, desired "
                 "table {:.3f} s, {})",
                 total.count(), parse_time.count(),
                 (std::chrono::duration<double>(desired_start - started) - parse_time).count(),
                 desired_time.count(), ipvs);
  }

  // Control socket requests: "status" (JSON) and "status text". The daemon's state is read
  // here; the kernel's IPVS table by status_worker_, off the loop (a big dump takes seconds).
  void answer(const std::string& request, ControlReply reply) {
    const auto runners = running_instances();
    if (request == "status") {
      status_worker_.answer(std::move(reply),
                            StatusAnswer::json(runners, ipvs_summary(), health_.get()));
    } else if (request == "status text") {
      status_worker_.answer(std::move(reply), StatusAnswer::text(runners, ipvs_summary()));
    } else {
      std::move(reply).send("{\"error\": \"unknown request\"}\n");
    }
  }

  // Status reads the kernel's IPVS table only when IPVS is the datapath.
  IpvsSummary ipvs_summary() const {
    const auto s = datapath_->status();
    if (s.backend == datapath::Backend::Ipvs) {
      return {s.available, s.unavailable_reason, s.requests_sent};
    }
    return {false, fmt::format("the nftables datapath is in use (table ip lvsctl, {} transactions)",
                               s.transactions),
            s.requests_sent};
  }

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
  ScriptRunnerPool scripts_;
  std::unique_ptr<ConfigReload> reload_;
  std::unique_ptr<ControlSocket> control_;
  StatusWorker status_worker_;  // owns only its jobs: safe to destroy in any order
  std::unique_ptr<LinkMonitor> links_;
  std::unique_ptr<HealthMonitor> health_;
  std::map<std::string, std::unique_ptr<VrrpRunner>> vrrp_;
  std::vector<std::unique_ptr<VrrpGroup>> vrrp_groups_;  // over vrrp_'s runners
  ServiceNotify service_;
  TimerId service_status_timer_ = 0;  // 0: no STATUS= update pending
};

}  // namespace

// Every health check holds a socket while it runs: allow two per real server plus headroom
// (keepalived keeps the default 1024 and runs out at scale).
static void raise_file_limit(const config::Config& config) {
  rlim_t wanted = 1024;
  for (const auto& vs : config.virtual_servers) wanted += 2 * vs.real_servers.size();
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(std::max(wanted, limit.rlim_cur), limit.rlim_max);
  if (limit.rlim_cur < wanted && limit.rlim_max < wanted) limit.rlim_max = limit.rlim_cur = wanted;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot raise the open file limit to {}: health checks may run out", wanted);
  }
}

std::string pid_file_path(const std::string& run_dir) { return run_dir + "/lvsctl.pid"; }
std::string control_socket_path(const std::string& run_dir) { return run_dir + "/control.sock"; }

int run_director(const RunOptions& options) {
  if (auto st = check_run_dir_path(options.run_dir); !st) {
    spdlog::error("--run-dir: {}", st.error().message);
    return 2;
  }
  auto parsed = config::load_config_file(options.config_path, options.language);
  config::WarningHistory warnings;
  if (!report(parsed, warnings)) {
    spdlog::error("{} has errors; not starting", options.config_path);
    return 1;
  }
  raise_file_limit(parsed.config);
  auto run_dir = prepare_run_dir(options.run_dir);
  if (!run_dir) {
    spdlog::error("{}", run_dir.error().message);
    return 1;
  }
  auto pid = PidFile::acquire(pid_file_path(options.run_dir));
  if (!pid) {
    spdlog::error("{}", pid.error().message);
    return 1;
  }
  auto loop = EventLoop::create();
  if (!loop) {
    spdlog::error("{}", loop.error().message);
    return 1;
  }
  auto rtnl = netlink::RouteSocket::open();
  if (!rtnl) {
    spdlog::error("{}", rtnl.error().message);
    return 1;
  }
  Daemon daemon(options, std::move(*loop), std::move(*rtnl), std::move(parsed.config),
                std::move(warnings), std::move(parsed.sources), *pid, *run_dir);
  if (auto st = daemon.start(); !st) {
    spdlog::error("Cannot start: {}", st.error().message);
    return 1;
  }
  spdlog::info("lvsctl director running (pid {}, config {}, run dir {})", ::getpid(),
               options.config_path, options.run_dir);
  daemon.service_ready();
  const int rc = daemon.run();
  spdlog::info("lvsctl director stopped");
  return rc;
}

}  // namespace lvsctl::director
