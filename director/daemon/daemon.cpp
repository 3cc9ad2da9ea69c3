#include "director/daemon/daemon.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "director/config/load.hpp"
#include "director/daemon/control_socket.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/daemon/ipvs_sync.hpp"
#include "director/daemon/link_monitor.hpp"
#include "director/daemon/pid_file.hpp"
#include "director/daemon/script_runner.hpp"
#include "director/daemon/status_report.hpp"
#include "director/daemon/vrrp_group.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/daemon/vrrp_signature.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/event_loop.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {
namespace {

// Logs every diagnostic; true when the config may be used.
bool report(const config::ParsedConfig& parsed) {
  for (const auto& d : parsed.diags) {
    if (d.severity == conf::Severity::Error) {
      spdlog::error("{}", conf::format(d));
    } else {
      spdlog::warn("{}", conf::format(d));
    }
  }
  return !conf::has_errors(parsed.diags);
}

class Daemon {
 public:
  Daemon(RunOptions options, std::unique_ptr<EventLoop> loop, netlink::RouteSocket rtnl,
         config::Config config)
      : options_(std::move(options)),
        loop_(std::move(loop)),
        rtnl_(std::move(rtnl)),
        config_(std::move(config)),
        ipvs_(*loop_),
        scripts_(*loop_) {}

  Status start() {
    auto control = ControlSocket::listen(control_socket_path(options_.run_dir));
    if (!control) return control.error();
    control_.emplace(std::move(*control));
    if (auto st = loop_->watch(control_->fd(), io::kReadable,
                               [this](uint32_t) { control_->serve([this](const auto& r) {
                                 return answer(r);
                               }); });
        !st) {
      return st.error();
    }
    if (auto st = install_signals(); !st) return st;
    auto links = LinkMonitor::start(*loop_, [this](const std::string& ifname, bool up) {
      for (auto& [name, runner] : vrrp_) runner->on_link(ifname, up);
    });
    if (!links) return links.error();
    links_ = std::move(*links);

    if (auto st = start_health(); !st) return st;
    ipvs_.apply(desired_table(config_, health_->lookup()), config_.global.lvs_flush);
    return start_vrrp(config_, {});
  }

  Status run() { return loop_->run(); }

  // Health checks drive the IPVS table: every change re-plans it against the kernel.
  Status start_health() {
    health_.reset();
    auto health = HealthMonitor::start(
        *loop_, config_, [this] { ipvs_.apply(desired_table(config_, health_->lookup())); },
        scripts_.runner());
    if (!health) return health.error();
    health_ = std::move(*health);
    return {};
  }

 private:
  Status install_signals() {
    for (int sig : {SIGTERM, SIGINT}) {
      auto st = loop_->on_signal(sig, [this](const SignalInfo& info) { stop(info.signo); });
      if (!st) return st;
    }
    if (auto st = loop_->on_signal(SIGHUP, [this](const SignalInfo&) { reload(); }); !st) {
      return st;
    }
    ::signal(SIGPIPE, SIG_IGN);
    return {};
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

  void stop(int signo) {
    spdlog::info("Stopping on signal {}", signo);
    for (auto& [name, runner] : vrrp_) runner->shutdown();
    loop_->stop();
  }

  void reload() {
    spdlog::info("Reloading {}", options_.config_path);
    auto parsed = config::load_config_file(options_.config_path);
    if (!report(parsed)) {
      spdlog::error("Reload rejected: {} has errors; the running configuration stays",
                    options_.config_path);
      return;
    }
    // VRRP: instances whose settings did not change keep running untouched.
    std::map<std::string, bool> keep;
    for (const auto& instance : parsed.config.vrrp_instances) {
      auto old = std::find_if(config_.vrrp_instances.begin(), config_.vrrp_instances.end(),
                              [&](const auto& i) { return i.name == instance.name; });
      if (old != config_.vrrp_instances.end() &&
          vrrp_signature(config_, *old) == vrrp_signature(parsed.config, instance)) {
        keep[instance.name] = true;
      }
    }
    for (auto it = vrrp_.begin(); it != vrrp_.end();) {
      if (keep.count(it->first)) {
        ++it;
        continue;
      }
      it->second->shutdown();
      it = vrrp_.erase(it);
    }
    health_.reset();  // it refers to the old config
    config_ = std::move(parsed.config);
    if (auto st = start_health(); !st) spdlog::error("Reload: {}", st.error().message);
    if (auto st = start_vrrp(config_, keep); !st) spdlog::error("Reload: {}", st.error().message);
    ipvs_.apply(desired_table(config_, health_ ? health_->lookup() : all_healthy(config_)));
  }

  // Control socket requests: "status" (JSON) and "status text".
  std::string answer(const std::string& request) {
    std::vector<const VrrpRunner*> runners;
    for (const auto& instance : config_.vrrp_instances) {
      if (auto it = vrrp_.find(instance.name); it != vrrp_.end()) {
        runners.push_back(it->second.get());
      }
    }
    if (request == "status") return status_json(runners, ipvs_, health_.get());
    if (request == "status text") return status_text(runners, ipvs_);
    return "{\"error\": \"unknown request\"}\n";
  }

  RunOptions options_;
  std::unique_ptr<EventLoop> loop_;
  netlink::RouteSocket rtnl_;
  config::Config config_;
  IpvsSync ipvs_;
  ScriptRunnerPool scripts_;
  std::optional<ControlSocket> control_;
  std::unique_ptr<LinkMonitor> links_;
  std::unique_ptr<HealthMonitor> health_;
  std::map<std::string, std::unique_ptr<VrrpRunner>> vrrp_;
  std::vector<std::unique_ptr<VrrpGroup>> vrrp_groups_;  // over vrrp_'s runners
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
  auto parsed = config::load_config_file(options.config_path);
  if (!report(parsed)) {
    spdlog::error("{} has errors; not starting", options.config_path);
    return 1;
  }
  raise_file_limit(parsed.config);
  ::mkdir(options.run_dir.c_str(), 0755);
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
  Daemon daemon(options, std::move(*loop), std::move(*rtnl), std::move(parsed.config));
  if (auto st = daemon.start(); !st) {
    spdlog::error("Cannot start: {}", st.error().message);
    return 1;
  }
  spdlog::info("lvsctl director running (pid {}, config {}, run dir {})", ::getpid(),
               options.config_path, options.run_dir);
  if (auto st = daemon.run(); !st) {
    spdlog::error("{}", st.error().message);
    return 1;
  }
  spdlog::info("lvsctl director stopped");
  return 0;
}

}  // namespace lvsctl::director
