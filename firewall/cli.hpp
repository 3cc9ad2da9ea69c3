#pragma once
// Registers the `lvsctl firewall ...` subcommands (only the ones that work).
#include <CLI/CLI.hpp>

namespace lvsctl::firewall {

// Adds the role's subcommands to `app`. A subcommand's callback writes its process exit code to
// `exit_code`.
void add_commands(CLI::App& app, int& exit_code);

}  // namespace lvsctl::firewall
