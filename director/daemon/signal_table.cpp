#include "director/daemon/signal_table.hpp"

#include <signal.h>
#include <string.h>

namespace lvsctl::director {

SignalAction signal_action(int signo) {
  switch (signo) {
    case SIGHUP:
      return SignalAction::Reload;
    case SIGTERM:
    case SIGINT:
      return SignalAction::Stop;
    case SIGUSR1:
      return SignalAction::DumpData;
    case SIGUSR2:
      return SignalAction::DumpStats;
    default:
      break;
  }
  if (signo == SIGRTMIN + 2) return SignalAction::DumpJson;
  return SignalAction::Ignore;
}

std::vector<int> handled_signals() {
  std::vector<int> out = {SIGHUP,  SIGTERM, SIGINT,  SIGUSR1, SIGUSR2, SIGQUIT,  SIGALRM,
                          SIGVTALRM, SIGPROF, SIGPOLL, SIGXCPU, SIGXFSZ, SIGPWR};
#ifdef SIGSTKFLT
  out.push_back(SIGSTKFLT);
#endif
  for (int s = SIGRTMIN; s <= SIGRTMAX; ++s) out.push_back(s);
  return out;
}

std::string signal_name(int signo) {
  if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
    if (signo == SIGRTMIN) return "SIGRTMIN";
    if (signo == SIGRTMAX) return "SIGRTMAX";
    return "SIGRTMIN+" + std::to_string(signo - SIGRTMIN);
  }
  const char* abbrev = ::sigabbrev_np(signo);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signo);
}

std::string dump_file_name(SignalAction action) {
  switch (action) {
    case SignalAction::DumpData:
      return "keepalived.data";
    case SignalAction::DumpStats:
      return "keepalived.stats";
    case SignalAction::DumpJson:
      return "keepalived.json";
    default:
      return {};
  }
}

}  // namespace lvsctl::director
