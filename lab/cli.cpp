#include "lab/cli.hpp"

#include <unistd.h>

#include <filesystem>

#include "lab/demo.hpp"
#include "lab/lab.hpp"
#include "lab/serve.hpp"
#include "shared/cli_checks.hpp"

namespace lvsctl::lab {

namespace {

struct Options {
  std::string state_dir = std::string(kDefaultStateDir);
  bool no_restart = false;
  std::string serve_name;
  unsigned short serve_port = 0;
};

// The lab needs root (namespaces, setns); one clear line instead of a failure halfway.
bool need_root(const char* what) {
  if (::geteuid() == 0) return true;
  std::fprintf(stderr, "lvsctl lab %s: needs root (network namespaces)\n", what);
  return false;
}

std::string absolute(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

int report(const char* what, const Status& st) {
  if (st) return 0;
  std::fprintf(stderr, "lvsctl lab %s: %s\n", what, st.error().message.c_str());
  return 1;
}

}  // namespace

void add_commands(CLI::App& app, int& exit_code) {
  auto* role = app.add_subcommand(
      "lab", "The seed's cluster (two directors, two real servers, a client) in network "
             "namespaces lvslab-* on this machine");
  role->require_subcommand(1);
  auto o = std::make_shared<Options>();
  role->add_option("--state-dir", o->state_dir, "pids, logs and configs of the lab")
      ->check(cli_checks::non_empty())
      ->capture_default_str();

  auto* up = role->add_subcommand("up", "build the lab (a previous one is removed first)");
  up->callback([o, &exit_code] {
    if (!need_root("up")) { exit_code = 4; return; }
    Progress progress;
    Lab lab(absolute(o->state_dir), progress);
    const Status st = lab.up();
    if (st) progress.line("lab up: try `lvsctl lab status`, `lvsctl lab failover`, `lvsctl lab down`");
    exit_code = report("up", st);
  });

  auto* status = role->add_subcommand(
      "status", "each director's VRRP state, the services, and what the client gets");
  status->callback([o, &exit_code] {
    if (!need_root("status")) { exit_code = 4; return; }
    Progress progress;
    Lab lab(absolute(o->state_dir), progress);
    exit_code = report("status", lab.status());
  });

  auto* failover = role->add_subcommand(
      "failover", "kill -9 the MASTER director, time until the other serves, then restart it");
  failover->add_flag("--no-restart", o->no_restart, "leave the killed director stopped");
  failover->callback([o, &exit_code] {
    if (!need_root("failover")) { exit_code = 4; return; }
    Progress progress;
    Lab lab(absolute(o->state_dir), progress);
    auto r = lab.failover(!o->no_restart);
    if (!r) { exit_code = report("failover", r.error()); return; }
    progress.line(fmt::format("kill -9 {}: {} MASTER after {:.1f} s, the client served through it after {:.1f} s; {} of "
                              "{} requests failed{}",
                              r->killed, r->took_over, r->master_after, r->serving_after, r->failed,
                              r->requests, o->no_restart ? "" : "; " + r->killed + " restarted"));
  });

  auto* down = role->add_subcommand(
      "down", "stop the lab's processes, delete its namespaces and state (also after a crash)");
  down->callback([o, &exit_code] {
    if (!need_root("down")) { exit_code = 4; return; }
    Progress progress;
    Lab lab(absolute(o->state_dir), progress);
    exit_code = report("down", lab.down());
  });

  auto* demo = role->add_subcommand(
      "demo", "up, then VRRP, load balancing, split brain, failover and health checks step by "
              "step, then down; exit 1 names the failed step");
  demo->callback([o, &exit_code] {
    if (!need_root("demo")) { exit_code = 4; return; }
    exit_code = run_demo(absolute(o->state_dir));
  });

  auto* serve = role->add_subcommand(
      "serve", "(used by the lab) answer HTTP requests on PORT with NAME until stopped");
  serve->add_option("--name", o->serve_name, "what every answer says")->required();
  serve->add_option("--port", o->serve_port, "TCP port")->required()->check(CLI::Range(1, 65535));
  serve->callback([o, &exit_code] { exit_code = run_serve(o->serve_name, o->serve_port); });
}

}  // namespace lvsctl::lab
