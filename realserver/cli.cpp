#include "realserver/cli.hpp"

#include "realserver/commands.hpp"
#include "realserver/state_store.hpp"
#include "shared/cli_checks.hpp"

namespace lvsctl::realserver {

namespace {

struct Options {
  VipSources sources;
  std::string state_dir = kDefaultStateDir.string();
  bool json = false;
};

void add_vip_options(CLI::App& cmd, Options& o) {
  cmd.add_option("--vip", o.sources.vips,
                 "a VIP to hold on lo, IPv4 or IPv6 (repeatable; a value may list several, "
                 "separated by commas or spaces)")
      ->type_size(1)
      ->expected(0, 1)  // "--vip=" (an unset variable in a unit file) is allowed and ignored
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_option("-f,--file", o.sources.file,
                 "realserver.conf with 'vip ADDRESS' lines (e.g. /etc/lvsctl/realserver.conf)")
      ->expected(0, 1);
  cmd.add_option("--from-director-config", o.sources.director_config,
                 "a director's keepalived.conf: hold the VIPs of its DR and TUN virtual servers")
      ->expected(0, 1);
}

void add_state_dir(CLI::App& cmd, Options& o) {
  cmd.add_option("--state-dir", o.state_dir,
                 "where the saved sysctl values and held VIPs are kept")
      ->check(cli_checks::non_empty())
      ->capture_default_str();
}

}  // namespace

void add_commands(CLI::App& app, int& exit_code) {
  auto* role = app.add_subcommand(
      "realserver", "LVS-DR/TUN real server: VIPs on lo with the ARP sysctls DR needs");
  role->require_subcommand(1);
  auto opts = std::make_shared<Options>();

  auto* start = role->add_subcommand(
      "start", "set arp_ignore=1/arp_announce=2 (saving the old values), then add the VIPs to lo");
  add_vip_options(*start, *opts);
  add_state_dir(*start, *opts);
  start->callback([opts, &exit_code] {
    exit_code = run_start(opts->sources, opts->state_dir);
  });

  auto* stop = role->add_subcommand(
      "stop", "remove the VIPs start added and restore the saved sysctl values");
  add_state_dir(*stop, *opts);
  stop->callback([opts, &exit_code] { exit_code = run_stop(opts->state_dir); });

  auto* status = role->add_subcommand(
      "status",
      "VIPs present or missing, ARP sysctls; exit 0 running, 1 partial/drifted, 3 stopped");
  add_vip_options(*status, *opts);
  add_state_dir(*status, *opts);
  status->add_flag("--json", opts->json, "print the status as one JSON object");
  status->callback([opts, &exit_code] {
    exit_code = run_status(opts->sources, opts->state_dir, opts->json);
  });
}

}  // namespace lvsctl::realserver
