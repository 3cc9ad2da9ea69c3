#pragma once
// `lvsctl director run -f FILE [--run-dir DIR]` (the daemon, in the foreground) and
// `lvsctl director status [--run-dir DIR] [--json] [--timeout S]` (asks the running daemon;
// S defaults to 5; the answer includes a dump of the kernel's IPVS table).
#include <CLI/CLI.hpp>

namespace lvsctl::director {

void add_run_command(CLI::App& director, int& exit_code);
// Exit codes (LSB status): 0 the daemon answered, 3 no daemon runs in that run directory,
// 1 it did not answer in time or closed without answering.
void add_status_command(CLI::App& director, int& exit_code);

}  // namespace lvsctl::director
