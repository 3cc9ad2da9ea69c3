#include "director/cli.hpp"

#include "director/check_config_command.hpp"
#include "director/daemon_commands.hpp"
#include "director/genhash.hpp"
#include "director/watch_command.hpp"

namespace lvsctl::director {

void add_commands(CLI::App& app, int& exit_code) {
  auto* director = app.add_subcommand(
      "director", "The director: VRRP floating IPs, IPVS virtual servers, health checks");
  director->require_subcommand(1);
  add_check_config_command(*director, exit_code);
  add_run_command(*director, exit_code);
  add_status_command(*director, exit_code);
  add_watch_command(*director, exit_code);
  add_genhash_command(*director, exit_code);
}

}  // namespace lvsctl::director
