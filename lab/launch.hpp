#pragma once
// Processes of the lab: programs run to completion with a deadline, and long-running ones
// (directors, services) that outlive `lvsctl lab up`. Both are spawned by posix_spawn (never
// through a shell), in a session of their own, stdin /dev/null, stdout+stderr appended to a
// file. shared/process's ChildProcess kills its child when the handle goes away, which is right
// for scripts and wrong for daemons the lab leaves running; this file is that other case.
//
// A daemon is recorded by pid and start time (field 22 of /proc/PID/stat), so a later
// `lab down` signals it only while that pid is still the same process.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "shared/result.hpp"

namespace lvsctl::lab {

struct ProcessId {
  pid_t pid = -1;
  unsigned long long start_time = 0;  // clock ticks since boot; 0: unknown
};

// argv prefix that runs a command inside namespace `ns`: {ip, netns, exec, ns}. `ip netns exec`
// execs the command in place, so the pid we get is the command's.
Result<std::vector<std::string>> in_namespace(const std::string& ns);
// This executable (/proc/self/exe resolved).
Result<std::string> self_program();

// Spawns argv (argv[0] searched in PATH) with stdout and stderr appended to `log`.
Result<pid_t> spawn_logged(const std::vector<std::string>& argv, const std::string& log);

// Runs argv to completion; output appended to `log`. Error when it cannot start, exits non-zero
// (the message names the command and its status), or outlives `timeout` (then killed).
Status run_logged(const std::vector<std::string>& argv, const std::string& log,
                  std::chrono::milliseconds timeout);
// As run_logged; returns the exit code (or error when killed by a signal / timed out).
Result<int> run_for_code(const std::vector<std::string>& argv, const std::string& log,
                         std::chrono::milliseconds timeout);

// Reaps `pid` if it is our child and has exited (never blocks).
void reap_if_child(pid_t pid);
// The start time of `pid`, nullopt when it does not run (or is a zombie).
std::optional<unsigned long long> start_time_of(pid_t pid);
// True while `id` still names the same live process.
bool is_running(const ProcessId& id);
// Sends `sig` to `id` when it is still the same process; true when sent.
bool signal_process(const ProcessId& id, int sig);
// SIGTERM, then SIGKILL after `grace`; waits until it is gone (or `grace` x 2 passed).
void stop_process(const ProcessId& id, std::chrono::milliseconds grace);

}  // namespace lvsctl::lab
