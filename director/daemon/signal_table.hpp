#pragma once
// What each signal does to the director daemon (pure). Every signal whose default action would
// kill the daemon has an outcome here, so none can take it down without its shutdown (priority-0
// advert, VIPs removed): HUP reloads, TERM/INT stop, USR1/USR2/RTMIN+2 write keepalived's dump
// files (/tmp/keepalived.data, .stats, .json), the rest are logged (once per signal) and ignored.
// Signals raised by faults (SEGV, BUS, FPE, ILL, TRAP, SYS, ABRT) keep their default: ignoring
// them would hide a crash. SIGPIPE is ignored outright (writes see EPIPE).
#include <string>
#include <vector>

namespace lvsctl::director {

enum class SignalAction { Reload, Stop, DumpData, DumpStats, DumpJson, Ignore };

// The action for `signo`; Ignore for any signal not listed in handled_signals() too.
SignalAction signal_action(int signo);
// The signals the daemon takes through its event loop (every one of them has an action).
std::vector<int> handled_signals();
// "SIGUSR1", "SIGRTMIN+2", ...
std::string signal_name(int signo);
// The dump file of a Dump* action, under `dir` (keepalived's names).
std::string dump_file_name(SignalAction action);

}  // namespace lvsctl::director
