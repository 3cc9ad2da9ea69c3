// Every signal that would kill the daemon by default has a defined outcome.
#include "director/daemon/signal_table.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>

namespace lvsctl::director {
namespace {

bool handled(int signo) {
  const auto all = handled_signals();
  return std::find(all.begin(), all.end(), signo) != all.end();
}

TEST(SignalTable, KeepalivedSignals) {
  EXPECT_EQ(signal_action(SIGHUP), SignalAction::Reload);
  EXPECT_EQ(signal_action(SIGTERM), SignalAction::Stop);
  EXPECT_EQ(signal_action(SIGINT), SignalAction::Stop);
  EXPECT_EQ(signal_action(SIGUSR1), SignalAction::DumpData);
  EXPECT_EQ(signal_action(SIGUSR2), SignalAction::DumpStats);
  EXPECT_EQ(signal_action(SIGRTMIN + 2), SignalAction::DumpJson);
  EXPECT_EQ(dump_file_name(SignalAction::DumpData), "keepalived.data");
  EXPECT_EQ(dump_file_name(SignalAction::DumpStats), "keepalived.stats");
  EXPECT_EQ(dump_file_name(SignalAction::DumpJson), "keepalived.json");
}

TEST(SignalTable, EverySignalThatKillsByDefaultIsTaken) {
  // Default action "terminate" or "core", not raised by a fault of the process itself.
  for (int s : {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGVTALRM, SIGPROF,
                SIGPOLL, SIGXCPU, SIGXFSZ, SIGPWR, SIGSTKFLT}) {
    EXPECT_TRUE(handled(s)) << signal_name(s);
  }
  for (int s = SIGRTMIN; s <= SIGRTMAX; ++s) EXPECT_TRUE(handled(s)) << signal_name(s);
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGKILL, SIGSTOP, SIGCHLD, SIGPIPE}) {
    EXPECT_FALSE(handled(s)) << signal_name(s);
  }
  EXPECT_EQ(signal_action(SIGALRM), SignalAction::Ignore);
  EXPECT_EQ(signal_action(SIGRTMIN), SignalAction::Ignore);
  EXPECT_EQ(signal_action(SIGRTMAX), SignalAction::Ignore);
}

TEST(SignalTable, Names) {
  EXPECT_EQ(signal_name(SIGUSR1), "SIGUSR1");
  EXPECT_EQ(signal_name(SIGALRM), "SIGALRM");
  EXPECT_EQ(signal_name(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(signal_name(SIGRTMIN + 2), "SIGRTMIN+2");
  EXPECT_EQ(signal_name(SIGRTMAX), "SIGRTMAX");
  EXPECT_EQ(signal_name(SIGIO), "SIGPOLL");  // the same signal
}

}  // namespace
}  // namespace lvsctl::director
