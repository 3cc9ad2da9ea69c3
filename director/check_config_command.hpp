#pragma once
// `lvsctl director check-config [-f FILE] [--json] [--example]`: parses and validates a
// keepalived.conf (default /etc/keepalived/keepalived.conf; --example: the embedded example
// cluster) without touching the system; with --host it also checks that the interfaces and
// scripts the configuration names exist on this machine (the service's pre-start check).
// Exit codes: 0 valid (warnings allowed), 1 invalid, 2 unreadable file or bad usage.
// Diagnostics go to stderr as "file:line:col: error|warning: message"; stdout gets a summary of
// instances and virtual servers, or with --json the normalised model.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "director/host_check.hpp"

namespace lvsctl::director {

// Registers `check-config` under the `director` subcommand; its callback stores the exit code
// in `exit_code`.
void add_check_config_command(CLI::App& director, int& exit_code);

// The command itself, for tests: writes to the given streams and returns the exit code.
// `config_id`: compared with `@ID` lines (empty: the host name's first label, as keepalived).
// `host`: also check this machine's interfaces and scripts (--host).
int run_check_config(const std::string& file, bool json, bool example, std::FILE* out,
                     std::FILE* err, const std::string& config_id = {},
                     const HostFacts* host = nullptr);

}  // namespace lvsctl::director
