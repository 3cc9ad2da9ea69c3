#include "director/daemon/director_daemon.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

#include "director/daemon/config_report.hpp"
#include "director/daemon/control_access.hpp"
#include "director/daemon/datapath_feed.hpp"
#include "director/daemon/dump_file.hpp"
#include "director/daemon/dump_format.hpp"
#include "director/daemon/metrics_text.hpp"
#include "shared/netlink/interface_address.hpp"
#include "director/daemon/snapshot_builder.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/reload_plan.hpp"
#include "director/daemon/reload_summary.hpp"
#include "director/daemon/route_install.hpp"
#include "director/daemon/accept_filter.hpp"
#include "director/datapath/held_vips.hpp"
#include "director/datapath/make_datapath.hpp"

namespace lvsctl::director {

Daemon::Daemon(RunOptions options, std::unique_ptr<EventLoop> loop, netlink::RouteSocket rtnl,
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
      scripts_(*loop_) {
  base_.version = LVSCTL_VERSION;
  base_.pid = static_cast<int>(::getpid());
  base_.started = std::chrono::system_clock::now();
  base_.config_path = options_.config_path;
  base_.config_hash = manifest_hash(sources_);
  base_.reload.last_success_at = base_.started;
}

DaemonSnapshot Daemon::snapshot() const {
  SnapshotSources sources;
  sources.config = &config_;
  sources.vrrp = running_instances();
  if (waiting_) sources.waiting = waiting_->instances();
  sources.health = health_.get();
  if (datapath_) sources.datapath = datapath_->status();
  return take_snapshot(base_, sources);
}

// The control socket's group (`--control-group`, control_socket_group, else `lvsctl` when it
// exists): its members may connect, so the run dir gets group search permission too.
Status Daemon::start_control() {
  auto group = choose_control_group(options_.control_group, config_.global.control_socket_group,
                                    lookup_group);
  if (!group) return group.error();
  if (*group) {
    struct stat st {};
    if (::stat(options_.run_dir.c_str(), &st) != 0 ||
        (st.st_gid != **group && ::chown(options_.run_dir.c_str(), static_cast<uid_t>(-1), **group) != 0) ||
        ::chmod(options_.run_dir.c_str(), run_dir_mode_for_group(st.st_mode)) != 0) {
      return Error::from_errno("cannot open run directory " + options_.run_dir + " to group " +
                               std::to_string(**group));
    }
  }
  auto control = ControlSocket::listen(
      *loop_, control_socket_path(options_.run_dir),
      [this](const std::string& request, ControlReply reply) {
        answer(request, std::move(reply));
      },
      ControlLimits{}, *group);
  if (!control) return control.error();
  control_ = std::move(*control);
  if (*group) {
    spdlog::info("control socket {}: mode 0660, group {} may read status", control_->path(), **group);
  }
  return {};
}

// --metrics-listen, else global_defs metrics_listen: the Prometheus endpoint, on this loop.
// A reload that changes metrics_listen moves it: the new endpoint listens before the old one
// closes, so a new address that cannot be bound (not on this host, the port taken) leaves the
// old endpoint serving (the error is logged; the next reload tries again). Only the same port
// on an overlapping address (0.0.0.0:P -> 127.0.0.1:P) needs the old socket closed first; it
// is listened on again should the new one fail.
Status Daemon::update_metrics() {
  std::optional<config::ListenEndpoint> wanted;
  const auto& text = options_.metrics_listen ? options_.metrics_listen : config_.global.metrics_listen;
  if (text && !text->empty()) {
    auto endpoint = config::parse_listen_endpoint(*text);
    if (!endpoint) return Error{"--metrics-listen: " + endpoint.error().message, EINVAL};
    wanted = *endpoint;
  }
  if (wanted == metrics_at_ && (metrics_ || !wanted)) return {};
  if (!wanted) {
    if (metrics_) spdlog::info("metrics: no longer serving http://{}/metrics", metrics_at_->to_string());
    metrics_.reset();
    metrics_at_.reset();
    return {};
  }
  // The snapshot is taken on the loop; the text rendered on the server's (one) thread, by one
  // renderer that reuses the real servers' text while their part of the snapshot is unchanged.
  const auto serve = [this](const config::ListenEndpoint& at) {
    auto renderer = std::make_shared<MetricsRenderer>();
    return MetricsServer::listen(*loop_, at, [this, renderer]() -> MetricsServer::Render {
      return [renderer, state = snapshot()] { return renderer->render(state); };
    });
  };
  auto server = serve(*wanted);
  if (!server && metrics_ && server.error().code == EADDRINUSE && metrics_at_ &&
      metrics_at_->port == wanted->port) {
    metrics_.reset();
    server = serve(*wanted);
    if (!server) {
      if (auto again = serve(*metrics_at_)) metrics_ = std::move(*again);
    }
  }
  if (!server) {
    if (metrics_) {
      return Error{fmt::format("{}; still serving http://{}/metrics", server.error().message,
                               metrics_at_->to_string()),
                   server.error().code};
    }
    metrics_at_.reset();
    return server.error();
  }
  if (metrics_) spdlog::info("metrics: no longer serving http://{}/metrics", metrics_at_->to_string());
  metrics_ = std::move(*server);
  metrics_at_ = wanted;
  spdlog::info("metrics: serving http://{}/metrics", wanted->to_string());
  return {};
}

Status Daemon::start() {
  if (auto st = start_control(); !st) return st;
  if (auto st = update_metrics(); !st) return st;
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
  waiting_ = std::make_unique<InterfaceWait>(*loop_, [this] { start_waiting_vrrp(); });
  auto links = LinkMonitor::start(*loop_, [this](const LinkEvent& link) { on_link(link); });
  if (!links) return links.error();
  links_ = std::move(*links);

  auto datapath = datapath::make_datapath(*loop_, config_, options_.lb_backend);
  if (!datapath) return datapath.error();
  datapath_ = std::move(*datapath);
  if (options_.dont_release_ipvs) datapath_->keep_on_exit();
  // The FIFOs first: the health checks' first lines (a quorum gained at start) go there.
  scripts_.set_notify_fifos(config_.global);
  if (auto st = start_health(); !st) return st;
  desired_.rebuild(config_, health_->lookup());
  apply_static_network(static_network_, config_);
  held_ = held_vips();
  datapath_->apply(desired_.table(), held_, config_.global.lvs_flush);
  datapath_->set_timeouts(lvs_timeouts(config_.global));
  // The rules follow VRRP: after each loop round, a change of the VIPs held as MASTER is
  // applied (nftables programs only those; IPVS keeps every service, as keepalived does).
  loop_->before_wait([this] {
    if (stopping_ || !datapath_ || !health_) return;
    auto held = held_vips();
    if (held == held_) return;
    held_ = std::move(held);
    std::string vips;
    for (const auto& v : held_.vips) vips += (vips.empty() ? "" : " ") + v.to_string();
    spdlog::info("Datapath: VIPs held as MASTER now: {}", vips.empty() ? "none" : vips);
    datapath_->apply(desired_.table(), held_);
  });
  loop_->before_wait([this] {
    if (!stopping_) update_accept_filter();
  });
  return start_vrrp(config_, {});
}

// systemd (Type=notify): the first configuration, or a reload, is applied. While a service
// manager listens, STATUS= follows the VRRP states and health checks (checked every second:
// cheaper than a hook in every transition, and soon enough for `systemctl status`).
void Daemon::service_ready() {
  service_.ready();
  if (!ServiceNotify::wanted() || service_status_timer_) return;
  update_service_status();
}

void Daemon::update_service_status() {
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
int Daemon::run() {
  if (auto st = loop_->run(); !st) {
    spdlog::error("{}", st.error().message);
    return 1;
  }
  return exit_code_;
}

// Health checks drive the datapath: a change recomputes and sends only the services of the
// virtual servers it touched (datapath_feed). On a reload the running monitor hands the state of
// unchanged real servers to the new one.
Status Daemon::start_health() {
  auto health = HealthMonitor::start(
      *loop_, config_,
      [this] {
        feed_health_change(desired_, *datapath_, config_, health_->lookup(),
                           health_->take_changed(), held_);
      },
      scripts_.lvs_runner(), health_.get());
  if (!health) {
    health_.reset();
    return health.error();
  }
  health_ = std::move(*health);
  return {};
}

// Every signal that would kill by default has an outcome (signal_table): none can take the
// daemon down without its shutdown.
Status Daemon::install_signals() {
  for (int sig : handled_signals()) {
    auto st = loop_->on_signal(sig, [this](const SignalInfo& info) { on_signal(info); });
    if (!st) return st;
  }
  ::signal(SIGPIPE, SIG_IGN);
  return {};
}

void Daemon::on_signal(const SignalInfo& info) {
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
void Daemon::dump(SignalAction action, const SignalInfo& info) {
  const auto state = snapshot();
  const std::string content = action == SignalAction::DumpData    ? keepalived_data_dump(state)
                              : action == SignalAction::DumpStats ? keepalived_stats_dump(state)
                                                                  : keepalived_json_dump(state);
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
void Daemon::watch_run_dir() {
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

std::vector<const VrrpRunner*> Daemon::running_instances() const {
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
Status Daemon::start_vrrp(const config::Config& config, const std::set<std::string>& keep) {
  Status result;
  std::vector<VrrpRunner*> fresh;
  waiting_->begin();
  for (const auto& instance : config.vrrp_instances) {
    if (keep.count(instance.name)) continue;
    auto runner = VrrpRunner::create(*loop_, rtnl_, config, instance, scripts_.runner());
    if (!runner && InterfaceWait::waits_for(runner.error())) {
      waiting_->add(instance.name, instance.interface, runner.error().message);
      continue;
    }
    if (!runner) {
      result = runner.error();
      continue;
    }
    auto& slot = vrrp_[instance.name];
    slot = std::move(*runner);
    fresh.push_back(slot.get());
    const auto ifindex = netlink::interface_index(instance.interface);
    vrrp_ifindex_[instance.name] = ifindex ? *ifindex : 0;
  }
  waiting_->end();
  vrrp_groups_ = make_vrrp_groups(config, vrrp_);
  for (auto* runner : fresh) {
    runner->start();
    const auto& ifname = runner->instance().interface;
    if (!LinkMonitor::is_up(ifname)) runner->on_link(ifname, false);
  }
  return result;
}

// An interface an instance waited for is up: start the instances not running yet.
void Daemon::start_waiting_vrrp() {
  if (stopping_) return;
  std::set<std::string> keep;
  for (const auto& [name, runner] : vrrp_) keep.insert(name);
  if (auto st = start_vrrp(config_, keep); !st) spdlog::error("{}", st.error().message);
}

// A link event: the instances see the link go down or up (FAULT and back, by name). An
// instance whose interface was deleted, or whose interface name now belongs to a new interface
// (created again), stops and starts over as when the daemon starts: it waits in FAULT while
// the interface is missing (whatever dynamic_interfaces says, as keepalived 2.2.7 reopens the
// sockets of a re-created interface), then starts on the new one (BACKUP, then MASTER).
void Daemon::on_link(const LinkEvent& link) {
  for (auto& [name, runner] : vrrp_) runner->on_link(link.ifname, link.up);
  if (stopping_) return;
  std::vector<std::string> lost;
  for (const auto& [name, runner] : vrrp_) {
    const auto bound = vrrp_ifindex_.find(name);
    if (runner->instance().interface == link.ifname && bound != vrrp_ifindex_.end() &&
        link.ends(bound->second)) {
      lost.push_back(name);
    }
  }
  for (const auto& name : lost) {
    spdlog::warn("VRRP_Instance({}) interface {} {}; the instance starts over on it once it is "
                 "there", name, link.ifname,
                 link.deleted ? "deleted" : fmt::format("created again (index {} -> {})",
                                                        vrrp_ifindex_[name], link.ifindex));
    vrrp_.at(name)->shutdown();
    vrrp_.erase(name);
    vrrp_ifindex_.erase(name);
  }
  if (!lost.empty()) start_waiting_vrrp();  // rebuilds the sync groups over the runners left
  waiting_->on_link(link.ifname, link.up);
}

void Daemon::stop(const std::string& why) {
  if (stopping_) return;  // a second signal while scripts finish changes nothing
  stopping_ = true;
  spdlog::info("Stopping {}", why);
  service_.stopping();
  for (auto& [name, runner] : vrrp_) runner->shutdown();
  if (auto st = accept_filter_.clear(); !st) spdlog::warn("no_accept filter: {}", st.error().message);
  static_network_.remove();  // static_* leave with the daemon, as keepalived's do
  if (health_) health_->shutdown();
  stop_when_scripts_done(loop_->now() + std::chrono::seconds(1));
}

// Scripts started on the way out (notify, omega) get up to a second, as keepalived gives them.
void Daemon::stop_when_scripts_done(Clock::time_point deadline) {
  if (scripts_.running() == 0 || loop_->now() >= deadline) {
    loop_->stop();
    return;
  }
  loop_->after(std::chrono::milliseconds(20), [this, deadline] { stop_when_scripts_done(deadline); });
}

// SIGHUP: the files are read and parsed on reload_'s worker thread (a FIFO include or a slow
// disk never holds the loop); apply_reload() takes the result on the loop. A SIGHUP during a
// load queues one more load after it.
void Daemon::reload() {
  if (stopping_) return;
  spdlog::info("Reloading {}", options_.config_path);
  service_.reloading();
  reload_->request();
}

void Daemon::apply_reload(ReloadOutcome loaded) {
  if (stopping_) return;
  const std::chrono::duration<double> parse_time(loaded.seconds);
  const auto started = std::chrono::steady_clock::now() -
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(parse_time);
  // The same bytes in the same files: loading them again would give the running config.
  // (Unless health checks failed to start at the last load: then a reload retries them.)
  bool valid = loaded.parsed && log_config_diagnostics(*loaded.parsed, warnings_);
  if (valid && loaded.parsed->config.global.net_namespace != config_.global.net_namespace) {
    // As keepalived: the namespace is entered once, at start-up.
    spdlog::error("Cannot change network namespace at a reload (net_namespace {} -> {}) - please "
                  "restart lvsctl",
                  config_.global.net_namespace.value_or("(none)"),
                  loaded.parsed->config.global.net_namespace.value_or("(none)"));
    valid = false;
  }
  const auto verdict = reload_verdict(loaded.parsed.has_value(), valid,
                                      valid && datapath::accepts(*datapath_, loaded.parsed->config));
  base_.reload.last_result = to_string(verdict);
  base_.reload.last_at = std::chrono::system_clock::now();
  if (verdict == ReloadVerdict::unchanged) {
    ++base_.reload.unchanged;
    spdlog::info("Reload: configuration unchanged ({} file{}, same content); nothing to do "
                 "(checked in {:.3f} s)",
                 sources_.files.size(), sources_.files.size() == 1 ? "" : "s", parse_time.count());
    return;
  }
  if (verdict == ReloadVerdict::rejected) {
    ++base_.reload.rejected;
    spdlog::error("Reload rejected: {} has errors; the running configuration stays",
                  options_.config_path);
    return;
  }
  auto parsed = std::move(*loaded.parsed);
  sources_ = std::move(parsed.sources);
  ++base_.reload.applied;
  base_.reload.last_success_at = base_.reload.last_at;
  base_.config_hash = manifest_hash(sources_);
  // VRRP: instances whose settings did not change keep running untouched; those with only
  // in-place settings changed (priority, advert_int, preempt, weights, notify) keep their state
  // and send the new values; the others restart (see plan_vrrp_reload).
  std::set<std::string> running;
  for (const auto& [name, runner] : vrrp_) running.insert(name);
  const auto plan = plan_vrrp_reload(config_, parsed.config, running);
  for (const auto& instance : parsed.config.vrrp_instances) {
    const auto& name = instance.name;
    if (std::find(plan.update.begin(), plan.update.end(), name) != plan.update.end()) {
      vrrp_.at(name)->update(parsed.config, instance);
    }
  }
  std::set<std::string> kept(plan.keep.begin(), plan.keep.end());
  kept.insert(plan.update.begin(), plan.update.end());
  for (auto it = vrrp_.begin(); it != vrrp_.end();) {
    if (kept.count(it->first)) {
      ++it;
      continue;
    }
    it->second->shutdown();
    it = vrrp_.erase(it);
  }
  spdlog::info("Reload: {}", to_text(summarize_reload(config_, parsed.config)));
  config_ = std::move(parsed.config);  // health_ keeps its own copies until replaced
  apply_static_network(static_network_, config_);
  scripts_.set_notify_fifos(config_.global);
  if (auto st = start_health(); !st) spdlog::error("Reload: {}", st.error().message);
  if (auto st = start_vrrp(config_, kept); !st) spdlog::error("Reload: {}", st.error().message);
  if (auto st = update_metrics(); !st) spdlog::error("Reload: {}", st.error().message);
  const auto desired_start = std::chrono::steady_clock::now();
  desired_.rebuild(config_, health_ ? health_->lookup() : all_healthy(config_));
  const auto& desired = desired_.table();
  const std::chrono::duration<double> desired_time =
      std::chrono::steady_clock::now() - desired_start;
  held_ = held_vips();
  const auto ipvs = datapath_->apply(desired, held_);
  datapath_->set_timeouts(lvs_timeouts(config_.global));
  const std::chrono::duration<double> total = std::chrono::steady_clock::now() - started;
  spdlog::info("Reloaded in {:.3f} s (parse {:.3f} s, VRRP and health checks {:.3f} s, desired "
               "table {:.3f} s, {})",
               total.count(), parse_time.count(),
               (std::chrono::duration<double>(desired_start - started) - parse_time).count(),
               desired_time.count(), ipvs);
}

// Control socket requests: "status" (JSON) and "status text". The daemon's state is read
// here; the kernel's IPVS table by status_worker_, off the loop (a big dump takes seconds).
void Daemon::answer(const std::string& request, ControlReply reply) {
  const auto format = status_request_format(request);
  if (!format) {
    std::move(reply).send("{\"error\": \"unknown request\"}\n");
    return;
  }
  const auto state = snapshot();
  status_worker_.answer(std::move(reply),
                        *format == StatusFormat::json ? StatusAnswer::json(state)
                                                      : StatusAnswer::text(state),
                        datapath_->listing());
}

bool Daemon::is_master(const std::string& instance) const {
  auto it = vrrp_.find(instance);
  return it != vrrp_.end() && it->second->machine().state() == vrrp::State::master;
}

// The VIPs of the instances that are MASTER now (see datapath/held_vips).
datapath::HeldVips Daemon::held_vips() const {
  return datapath::held_vips(config_, [this](const std::string& name) { return is_master(name); });
}

// no_accept (vrrp_strict): after each loop round the lvsctl_vrrp tables drop traffic to and from
// the VIPs of MASTER instances without accept mode, as keepalived's `keepalived` table does.
// Configurations without such an instance never touch nftables (unless a reload removed it).
void Daemon::update_accept_filter() {
  if (!accept_filter_wanted(config_) && !accept_filter_.dropping()) return;
  const auto vips =
      accept_filter_vips(config_, [this](const std::string& name) { return is_master(name); });
  if (!accept_filter_.changes(vips)) return;
  const bool was_dropping = accept_filter_.dropping();
  if (auto st = accept_filter_.apply(vips); !st) {
    spdlog::warn("no_accept filter: {}", st.error().message);
    return;
  }
  if (vips.empty() && !was_dropping) return;  // start-up: an earlier run's tables cleared
  std::string list;
  for (const auto& v : vips) list += (list.empty() ? "" : " ") + v.to_string();
  spdlog::info("no_accept: dropping traffic to and from {}", list.empty() ? "no VIP" : list);
}


}  // namespace lvsctl::director
