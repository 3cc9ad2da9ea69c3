#pragma once
// run_program: runs a program to completion (no shell) and captures its output. For commands,
// not daemons: it blocks the calling thread until the program exits or its deadline passes, so
// the event loop must never call it (the daemon uses ChildProcess). Adapter.
#include <chrono>
#include <string>
#include <vector>

#include "shared/result.hpp"

namespace lvsctl {

struct ProgramOutput {
  int exit_code = 0;  // the exit status, or 128 + signal when killed
  std::string out;
  std::string err;
};

// Where run_program finds argv[0]: find_program() (PATH), then /usr/sbin and /sbin, where the
// administration tools lvsctl calls live even when PATH lacks them. Errors: ENOENT, EACCES.
Result<std::string> find_admin_program(const std::string& name);

// Runs argv with stdin from /dev/null. An Error only when it could not be started (ENOENT for a
// missing program) or did not end within `deadline` (ETIMEDOUT; it is then killed with SIGKILL
// and reaped); a non-zero exit is reported in ProgramOutput. Each output is kept up to 16 MiB.
Result<ProgramOutput> run_program(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace lvsctl
