#pragma once
// `lvsctl lab ...`: registers the lab's subcommands.
#include <CLI/CLI.hpp>

namespace lvsctl::lab {

void add_commands(CLI::App& app, int& exit_code);

}  // namespace lvsctl::lab
