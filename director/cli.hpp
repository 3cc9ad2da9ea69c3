#pragma once
// Registers the `lvsctl director ...` subcommands (only the ones that work).
#include <CLI/CLI.hpp>

namespace lvsctl::director {

// Adds the role's subcommands to `app`. A subcommand's callback writes its process exit code to
// `exit_code`.
void add_commands(CLI::App& app, int& exit_code);

}  // namespace lvsctl::director
