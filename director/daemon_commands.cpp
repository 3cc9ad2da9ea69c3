#include "director/daemon_commands.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "director/daemon/control_socket.hpp"
#include "director/daemon/daemon.hpp"
#include "director/config/listen_endpoint.hpp"
#include "director/daemon/run_dir.hpp"
#include "director/daemon/status_report.hpp"
#include "director/datapath/backend_choice.hpp"
#include "shared/cli_error.hpp"

namespace lvsctl::director {
namespace {

constexpr double kMaxTimeout = 86400.0;

// --run-dir: absolute and non-empty (checked before anything is created).
CLI::Validator run_dir_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        auto st = check_run_dir_path(value);
        return st ? std::string() : st.error().message;
      },
      "DIR", "absolute run directory");
}

// --timeout: a finite number of seconds in (0, 86400]; "nan", "inf", "-1", "" are refused with
// the value in the message.
CLI::Validator timeout_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        const std::string bad = "'" + value + "' is not a number of seconds in (0, " +
                                std::to_string(static_cast<int>(kMaxTimeout)) + "]";
        if (value.empty()) return bad;
        char* end = nullptr;
        const double seconds = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 ||
            seconds > kMaxTimeout) {
          return bad;
        }
        return {};
      },
      "SECONDS", "timeout in seconds");
}

}  // namespace

void add_run_command(CLI::App& director, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  auto* run = director.add_subcommand(
      "run", "Run the director daemon (VRRP, IPVS, health checks) in the foreground");
  run->add_option("-f,--file,--config", options->config_path, "keepalived.conf to run")
      ->capture_default_str();
  run->add_option("--run-dir", options->run_dir,
                  "directory for the pid file and control socket (absolute; created 0700; "
                  "refused when group or others can write it)")
      ->check(run_dir_check())
      ->capture_default_str();
  run->add_option("--dump-dir", options->dump_dir,
                  "directory of the SIGUSR1/SIGUSR2/SIGRTMIN+2 dump files (keepalived.data, "
                  ".stats, .json)")
      ->capture_default_str();
  run->add_option("-i,--config-id", options->language.config_id,
                  "config id compared with '@ID' lines (default: the host name up to its first "
                  "'.', as keepalived)");
  auto lb_backend = std::make_shared<std::string>();
  run->add_option("--lb-backend", *lb_backend,
                  "datapath: ipvs, nftables or auto (default: global_defs lb_backend, else auto)")
      ->check(CLI::IsMember({"ipvs", "nftables", "auto"}));
  run->add_flag("--dont-release-ipvs", options->dont_release_ipvs,
                "on stop, leave the virtual servers in the kernel (IPVS services, or the "
                "nftables table ip lvsctl), as keepalived's --dont-release-ipvs");
  auto metrics_listen = std::make_shared<std::string>();
  run->add_option("--metrics-listen", *metrics_listen,
                  "serve Prometheus metrics at http://ADDR:PORT/metrics (ADDR:PORT or "
                  "[V6ADDR]:PORT; default: global_defs metrics_listen, else none)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            auto endpoint = config::parse_listen_endpoint(value);
            return endpoint ? std::string() : endpoint.error().message;
          },
          "ADDR:PORT", "listen address"));
  auto control_group = std::make_shared<std::string>();
  run->add_option("--control-group", *control_group,
                  "group whose members may read status through the control socket (mode 0660); "
                  "'none': root only (default: global_defs control_socket_group, else 'lvsctl' "
                  "when that group exists)");
  run->callback([options, lb_backend, metrics_listen, control_group, run, &exit_code] {
    if (run->count("--metrics-listen") > 0) options->metrics_listen = *metrics_listen;
    if (run->count("--control-group") > 0) options->control_group = *control_group;
    if (!lb_backend->empty()) options->lb_backend = datapath::parse_lb_backend(*lb_backend);
    // Without CAP_NET_ADMIN nothing of VRRP, IPVS or nftables can work: say so before starting.
    if (!cli::has_net_admin()) {
      exit_code = cli::report_error("director run",
                                    "needs root (CAP_NET_ADMIN and CAP_NET_RAW: VIPs, IPVS, raw VRRP "
                                    "sockets)",
                                    cli::kExitNotPrivileged, false);
      return;
    }
    exit_code = run_director(*options);
  });
}

void add_status_command(CLI::App& director, int& exit_code) {
  auto run_dir = std::make_shared<std::string>("/run/lvsctl");
  auto json = std::make_shared<bool>(false);
  auto timeout = std::make_shared<double>(5);  // seconds
  auto* status = director.add_subcommand("status", "Show the running director's state (exit 0 healthy, 1 degraded, 3 not running)");
  status->add_option("--run-dir", *run_dir, "run directory of the daemon")
      ->check(run_dir_check())
      ->capture_default_str();
  status->add_flag("--json", *json, "machine-readable output");
  status->add_option("--timeout", *timeout,
                     "seconds to wait for the answer (a big IPVS table takes seconds to dump)")
      ->check(timeout_check())
      ->capture_default_str();
  status->callback([run_dir, json, timeout, &exit_code] {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(*timeout));
    auto answer = query_control_socket(control_socket_path(*run_dir),
                                       *json ? "status" : "status text",
                                       std::max(wait, std::chrono::milliseconds(1)));
    if (!answer) {
      // 3: no daemon runs (LSB "not running"); 4: the run dir is root's; 1: anything else.
      const int err = answer.error().code;
      const int code = err == ENOENT || err == ECONNREFUSED || err == ENOTDIR ? 3
                       : cli::is_privilege_error(answer.error())  ? cli::kExitNotPrivileged
                                                                  : cli::kExitFailure;
      std::string message = answer.error().message;
      if (code == cli::kExitNotPrivileged) {
        message += " (root and the control socket's group (--control-group, default lvsctl) may "
                   "read status)";
      }
      exit_code = cli::report_error("director status", message, code, *json);
      return;
    }
    std::fputs(answer->c_str(), stdout);
    // Monitoring plugins' convention: 0 all healthy, 1 degraded (a real server down, quorum
    // lost, an instance in FAULT, the datapath off), 3 not running.
    exit_code = status_says_degraded(*answer, *json) ? 1 : 0;
  });
}

}  // namespace lvsctl::director
