#pragma once
// `lvsctl director run`: the director daemon. One single-threaded event loop runs the VRRP
// instances of keepalived.conf, keeps IPVS equal to its virtual servers, and answers
// `director status` on a control socket in the run directory.
//
// Signals (signal_table): SIGTERM/SIGINT stop (priority-0 advert, VIPs removed); SIGHUP reloads
// the file, read and parsed off the loop: a config with errors is rejected (logged with
// file:line:col) and the running one stays; a valid one is applied as a difference (unchanged
// VRRP instances keep running, IPVS gets the minimal plan). SIGUSR1/SIGUSR2/SIGRTMIN+2 write
// keepalived's dump files; every other signal that would kill is logged once and ignored.
// The run dir, pid file or control socket removed or replaced while running: a clean stop, exit 1.
#include <optional>
#include <string>

#include "director/config/model.hpp"
#include "shared/conf/language.hpp"

namespace lvsctl::director {

struct RunOptions {
  std::string config_path = "/etc/keepalived/keepalived.conf";
  std::string run_dir = "/run/lvsctl";  // absolute; created 0700; refused when others can write
  std::string dump_dir = "/tmp";         // where SIGUSR1/SIGUSR2/SIGRTMIN+2 write their dumps
  std::optional<config::LbBackend> lb_backend;  // --lb-backend; unset: global_defs lb_backend
  conf::LanguageOptions language;               // --config-id: which '@ID' lines apply
  bool dont_release_ipvs = false;  // stop leaves the virtual servers in the kernel
  std::optional<std::string> metrics_listen;  // --metrics-listen ADDR:PORT; unset: metrics_listen
  std::optional<std::string> control_group;   // --control-group; unset: control_socket_group
};

// Runs until stopped. Returns the process exit code: 0 after a clean stop, 1 when the config is
// invalid, start-up fails or the run dir went away (the reason is logged), 2 for an empty or
// relative run dir.
int run_director(const RunOptions& options);

std::string pid_file_path(const std::string& run_dir);
std::string control_socket_path(const std::string& run_dir);

}  // namespace lvsctl::director
