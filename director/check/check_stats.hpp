#pragma once
// What a real server's checks did since it was configured (carried over by a reload with its
// health): results by outcome, the time each probe took (a histogram with fixed buckets, for
// Prometheus), the last failure's reason and time, health transitions. Pure values; CheckEngine
// records them.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lvsctl::director::check {

struct DurationHistogram {
  // Upper bounds in seconds (Prometheus `le`); a last implicit +Inf bucket.
  static constexpr std::array<double, 10> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,  0.1,    0.25,  1.0,  5.0};
  std::array<std::uint64_t, kBounds.size() + 1> counts{};  // per bucket, not cumulative
  double sum_seconds = 0;
  std::uint64_t count = 0;

  void observe(double seconds);
  bool operator==(const DurationHistogram&) const = default;
};

struct CheckStats {
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  DurationHistogram duration;
  std::string last_failure_reason;  // empty: no failure yet
  std::optional<std::chrono::system_clock::time_point> last_failure_at;
  std::uint64_t transitions = 0;  // health or weight changes
  std::optional<std::chrono::system_clock::time_point> last_transition_at;

  void record(bool success, const std::string& reason, double seconds,
              std::chrono::system_clock::time_point at);
  void transition(std::chrono::system_clock::time_point at);
};

}  // namespace lvsctl::director::check
