#pragma once
// Runs a program (no shell) and captures its output: how the iptables backend talks to the
// iptables tools. Adapter.
#include <string>
#include <vector>

#include "shared/result.hpp"

namespace lvsctl::firewall {

struct CommandOutput {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Finds `program` in $PATH, then /usr/sbin and /sbin; empty when absent.
std::string find_program(const std::string& program);

// Runs argv (argv[0] looked up with find_program). An Error only when it could not be started
// (ENOENT for a missing program); a non-zero exit is reported in CommandOutput.
Result<CommandOutput> run_command(const std::vector<std::string>& argv);

}  // namespace lvsctl::firewall
