#pragma once
// CheckEngine: runs every checker of every real server on one EventLoop and keeps each real
// server's RealServerHealth. No thread or process per TCP/HTTP check; MISC_CHECK scripts are
// child processes watched through pidfds. TCP_CHECKs connect(); with TcpCheckMode::Syn (global_defs
// `tcp_check_mode syn`) IPv4 ones are SYN probes sharing one SynProber (syn_prober.hpp), and
// connect() only without CAP_NET_RAW.
// Scheduling: the first probe of each checker starts at a random point in [0, warmup]; after a
// result the next one is due delay_loop after the previous one was DUE (so the period holds at
// delay_loop however long a check takes; a late checker skips the rounds it missed),
// or delay_before_retry after a failure that is retried (keepalived's retry semantics); probes
// start on a 20 ms grid so checks due together share one wake-up (check_schedule.hpp).
// Every change of a real server's health or weight is passed to the TransitionHandler.
// A disabled checker (Checker::disabled) has no probe and never runs. A FILE_CHECK has no probe
// either: its results come from outside, through observe() (the daemon's track file watcher).
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "director/check/check_config.hpp"
#include "director/check/check_stats.hpp"
#include "director/check/probe.hpp"
#include "director/check/real_server_health.hpp"
#include "director/check/syn_prober.hpp"
#include "director/check/tls_client.hpp"
#include "director/config/model.hpp"
#include "shared/event_loop.hpp"
#include "shared/random_seed.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

class CheckEngine {
 public:
  using TransitionHandler = std::function<void(std::size_t server, const HealthTransition& change)>;

  // Builds the probes (and a TLS context when any SSL_GET exists). The loop must outlive it.
  static Result<std::unique_ptr<CheckEngine>> create(EventLoop& loop, std::vector<RealServerConfig> servers,
                                                     TransitionHandler on_transition,
                                                     config::TcpCheckMode tcp_mode = config::TcpCheckMode::Connect);
  ~CheckEngine();
  CheckEngine(const CheckEngine&) = delete;
  CheckEngine& operator=(const CheckEngine&) = delete;

  // Takes over server `from` of `previous` (same checkers, e.g. after a reload) as server `to`:
  // its health, and its schedule: start() runs its checkers when they were due in `previous`
  // (at once for a probe that was running) instead of after a random warmup. Before start().
  void carry_over(std::size_t to, const CheckEngine& previous, std::size_t from);
  // This engine replaces a running one (SIGHUP): servers that are not carried over start as
  // keepalived starts checkers added by a reload, their first failure retried (their retry budget
  // starts full, CheckerStart::Reload) where at daemon start it takes them down at once. Before
  // start(); before or after carry_over().
  void after_reload();
  // Schedules the first probe of every checker (random warmup from `seed`).
  void start(std::uint64_t seed = random_seed());
  // Cancels all timers and running probes (scripts are killed); health stays as it was.
  void stop();
  // Records a result observed outside a probe (FILE_CHECK: its track file's value) for checker
  // `checker` of server `server`, as a probe's result is recorded; nothing is scheduled.
  void observe(std::size_t server, std::size_t checker, const ProbeResult& result);

  std::size_t server_count() const { return servers_.size(); }
  const RealServerConfig& server(std::size_t i) const { return servers_.at(i); }
  const RealServerHealth& health(std::size_t i) const { return health_.at(i); }
  const CheckStats& stats(std::size_t i) const { return stats_.at(i); }
  // Results recorded so far (probes and observed FILE_CHECK values): versions the health state.
  std::uint64_t completed_probes() const { return completed_; }

 private:
  struct Slot {
    std::size_t server = 0;
    std::size_t checker = 0;
    std::unique_ptr<Probe> probe;
    TimerId timer = 0;
    TimePoint due{};                 // when `timer` fires (before rounding to the 20 ms grid)
    std::optional<TimePoint> resume;  // carried over: first probe at this time, not at warmup
    TimePoint started{};              // of the running probe (CheckStats' duration)
  };
  std::size_t first_slot(std::size_t server) const;  // slots_ are in server order

  CheckEngine(EventLoop& loop, std::vector<RealServerConfig> servers, TransitionHandler on_transition);
  std::unique_ptr<Probe> new_probe(const Slot& slot) const;  // nullptr: the checker is disabled
  void arm(Slot& slot);
  void launch(Slot& slot);
  void on_result(Slot& slot, ProbeResult result);
  // Health, stats and the transition of one result; the outcome's next_delay for a probe.
  RealServerHealth::Outcome record(std::size_t server, std::size_t checker,
                                   const ProbeResult& result, double seconds);

  EventLoop& loop_;
  std::vector<RealServerConfig> servers_;
  std::vector<RealServerHealth> health_;
  std::vector<CheckStats> stats_;  // per server
  std::vector<bool> carried_;  // per server: carry_over() gave it a previous engine's state
  TransitionHandler on_transition_;
  std::unique_ptr<TlsClientContext> tls_;
  std::unique_ptr<SynProber> syn_;  // IPv4 TCP_CHECKs' SYN probes (syn mode); nullptr: they connect()
  std::vector<std::unique_ptr<Slot>> slots_;
  std::uint64_t completed_ = 0;
};

}  // namespace lvsctl::director::check
