#pragma once
// RealServerHealth: the health of one real server, from the states of all its checkers.
// A real server is healthy when every checker is up (several checkers: all must pass). Its
// weight is the configured one, changed by MISC_CHECK misc_dynamic results: each dynamic checker
// contributes (reported - configured), so with one such checker the weight is what the script
// asked for (exit code - 2); and by FILE_CHECK results: each adds its track file's status
// (ProbeResult::weight_change), as keepalived adds a checker's cur_weight. The sum is kept in
// 0..65535.
// Every change of health or weight comes back as a HealthTransition with one log-ready line,
// e.g. "203.0.113.102:10010 DOWN: connect timeout after 10 s, retry 3/3". Pure: time is passed in.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "director/check/check_config.hpp"
#include "director/check/checker_state.hpp"
#include "director/check/probe_result.hpp"

namespace lvsctl::director::check {

using TimePoint = std::chrono::steady_clock::time_point;

struct LastCheck {
  CheckerKind kind = CheckerKind::Tcp;
  bool success = false;
  std::string reason;
  TimePoint at{};
};

struct HealthTransition {
  bool healthy = false;
  int weight = 0;
  std::string message;
};

class RealServerHealth {
 public:
  // `start`: with the daemon, or added by a reload (CheckerState: the retry budget starts full).
  explicit RealServerHealth(const RealServerConfig& config, CheckerStart start = CheckerStart::Daemon);

  struct Outcome {
    Duration next_delay{};  // when to run this checker again
    std::optional<HealthTransition> transition;
  };
  // Records the result of checker `index` (0-based, in config order) observed at `now`.
  Outcome record(std::size_t index, const ProbeResult& result, TimePoint now);

  const Endpoint& address() const { return address_; }
  bool healthy() const { return healthy_; }
  int weight() const { return weight_; }
  int configured_weight() const { return configured_weight_; }
  const std::optional<LastCheck>& last_check() const { return last_check_; }
  std::size_t checker_count() const { return checkers_.size(); }
  const CheckerState& checker(std::size_t index) const { return checkers_.at(index); }

 private:
  bool all_up() const;
  int effective_weight() const;

  Endpoint address_;
  int configured_weight_;
  std::vector<CheckerKind> kinds_;
  std::vector<CheckerState> checkers_;
  std::vector<std::optional<int>> dynamic_weight_;  // per checker, MISC misc_dynamic only
  std::vector<std::int64_t> weight_change_;          // per checker, FILE_CHECK only
  bool healthy_;
  int weight_;
  std::optional<LastCheck> last_check_;
};

}  // namespace lvsctl::director::check
