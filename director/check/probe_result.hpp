#pragma once
// ProbeResult: the outcome of one check attempt (one connect, one HTTP exchange, one script run),
// as the I/O side reports it to the pure health state.
#include <cstdint>
#include <optional>
#include <string>

#include "director/check/check_config.hpp"

namespace lvsctl::director::check {

struct ProbeResult {
  bool success = false;
  // Why, in words ready for a log line: "connect timeout after 10 s", "connection refused",
  // "HTTP status 500 not in 200-299 for /", "script exited 1", "connected".
  std::string reason;
  std::optional<int> weight;  // MISC_CHECK with misc_dynamic: the weight the script asked for
  // FILE_CHECK: what this checker now adds to the real server's weight (0 while down).
  std::optional<std::int64_t> weight_change;

  static ProbeResult up(std::string why, std::optional<int> w = std::nullopt) {
    ProbeResult r;
    r.success = true;
    r.reason = std::move(why);
    r.weight = w;
    return r;
  }
  static ProbeResult down(std::string why) {
    ProbeResult r;
    r.reason = std::move(why);
    return r;
  }
};

// "10 s", "2.5 s", "0.25 s": durations as keepalived.conf writes them.
std::string format_seconds(Duration d);

}  // namespace lvsctl::director::check
