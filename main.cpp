// lvsctl: every role of an LVS cluster from one binary. This file only assembles the command
// tree; each role registers its own subcommands.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "director/cli.hpp"
#include "firewall/cli.hpp"
#include "lab/cli.hpp"
#include "realserver/cli.hpp"
#include "shared/logging.hpp"

int main(int argc, char** argv) {
  CLI::App app{"lvsctl - run every role of a Linux Virtual Server cluster"};
  app.set_version_flag("-v,--version", std::string("lvsctl ") + LVSCTL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  std::string log_level = "info";
  std::string log_target = "stderr";
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|critical|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--log-target", log_target, "where log lines go: stderr or syslog (daemon, lvsctl)")
      ->check(CLI::IsMember({"stderr", "syslog"}));

  // Logging must be ready before any subcommand callback runs.
  app.parse_complete_callback([&] {
    if (auto st = lvsctl::setup_logging(log_level, log_target); !st) {
      throw CLI::ValidationError("--log-level/--log-target", st.error().message);
    }
  });

  // Each role adds its subcommands; a callback stores the exit code it wants.
  int exit_code = 0;
  lvsctl::director::add_commands(app, exit_code);
  lvsctl::realserver::add_commands(app, exit_code);
  lvsctl::firewall::add_commands(app, exit_code);
  lvsctl::lab::add_commands(app, exit_code);

  // `lvsctl help [ROLE [COMMAND]]`: the same text as --help, for those who type it.
  std::vector<std::string> help_topic;
  auto* help = app.add_subcommand("help", "Show help: lvsctl help [ROLE [COMMAND]]");
  help->add_option("topic", help_topic, "a role (director, realserver, firewall, lab) and a command");
  help->callback([&] {
    const CLI::App* topic = &app;
    for (const auto& name : help_topic) {
      try {
        topic = topic->get_subcommand(name);
      } catch (const CLI::OptionNotFound&) {
        std::fprintf(stderr, "lvsctl help: no such command: %s\n", name.c_str());
        exit_code = 2;
        return;
      }
    }
    std::fputs(topic->help().c_str(), stdout);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help/version with exit 0 and usage errors with a non-zero code; we use 2 for
    // bad usage, as LSB and our check-config contract do.
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
