#include "director/daemon/daemon.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include "director/config/load.hpp"
#include "director/config/warning_history.hpp"
#include "director/daemon/config_report.hpp"
#include "director/daemon/director_daemon.hpp"
#include "director/daemon/pid_file.hpp"
#include "director/daemon/run_dir.hpp"
#include "director/daemon/start_banner.hpp"
#include "shared/event_loop.hpp"
#include "shared/net_namespace.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {

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
  log_start_banner();
  if (auto st = check_run_dir_path(options.run_dir); !st) {
    spdlog::error("--run-dir: {}", st.error().message);
    return 2;
  }
  auto parsed = config::load_config_file(options.config_path, options.language);
  config::WarningHistory warnings;
  if (!log_config_diagnostics(parsed, warnings)) {
    spdlog::error("{} has errors; not starting", options.config_path);
    return 1;
  }
  // keepalived's net_namespace: everything after this (sockets, threads, scripts) lives in the
  // named namespace; keepalived exits when it cannot enter it, and so does lvsctl.
  if (const auto& ns = parsed.config.global.net_namespace) {
    if (auto st = enter_net_namespace(*ns); !st) {
      spdlog::error("Unable to set network namespace {} - exiting: {}", *ns, st.error().message);
      return 1;
    }
    spdlog::info("Running in network namespace {} ({})", *ns, net_namespace_path(*ns));
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
  spdlog::info("Startup complete");
  daemon.service_ready();
  const int rc = daemon.run();
  spdlog::info("lvsctl director stopped");
  return rc;
}

}  // namespace lvsctl::director
