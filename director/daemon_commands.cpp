#include "director/daemon_commands.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>

#include "director/daemon/control_socket.hpp"
#include "director/daemon/daemon.hpp"
#include "director/datapath/backend_choice.hpp"

namespace lvsctl::director {

void add_run_command(CLI::App& director, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  auto* run = director.add_subcommand(
      "run", "Run the director daemon (VRRP, IPVS, health checks) in the foreground");
  run->add_option("-f,--config", options->config_path, "keepalived.conf to run")
      ->capture_default_str();
  run->add_option("--run-dir", options->run_dir, "directory for the pid file and control socket")
      ->capture_default_str();
  auto lb_backend = std::make_shared<std::string>();
  run->add_option("--lb-backend", *lb_backend,
                  "datapath: ipvs, nftables or auto (default: global_defs lb_backend, else auto)")
      ->check(CLI::IsMember({"ipvs", "nftables", "auto"}));
  run->callback([options, lb_backend, &exit_code] {
    if (!lb_backend->empty()) options->lb_backend = datapath::parse_lb_backend(*lb_backend);
    exit_code = run_director(*options);
  });
}

void add_status_command(CLI::App& director, int& exit_code) {
  auto run_dir = std::make_shared<std::string>("/run/lvsctl");
  auto json = std::make_shared<bool>(false);
  // The daemon dumps the kernel's IPVS table for the answer: seconds for a big table.
  auto timeout = std::make_shared<double>(60);
  auto* status = director.add_subcommand("status", "Show the running director's state");
  status->add_option("--run-dir", *run_dir, "run directory of the daemon")->capture_default_str();
  status->add_flag("--json", *json, "machine-readable output");
  status->add_option("--timeout", *timeout, "seconds to wait for the answer")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  status->callback([run_dir, json, timeout, &exit_code] {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(*timeout));
    auto answer = query_control_socket(control_socket_path(*run_dir),
                                       *json ? "status" : "status text", wait);
    if (!answer) {
      std::fprintf(stderr, "lvsctl: %s\n", answer.error().message.c_str());
      const int err = answer.error().code;
      exit_code = err == ENOENT || err == ECONNREFUSED ? 3 : 1;
      return;
    }
    std::fputs(answer->c_str(), stdout);
    exit_code = 0;
  });
}

}  // namespace lvsctl::director
