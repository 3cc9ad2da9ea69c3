#pragma once
// LogRateLimiter: keeps a flood of one kind of message (a packet rejected per packet, a check
// failing per check) from filling the log. Per reason: the first occurrence is logged in full;
// after that at most one summary line per interval ("N more ... (last from X)"), carrying the
// count of occurrences not logged and the detail of the last one. A reason quiet for a whole
// interval since its last line is logged in full again. Every occurrence is counted (totals()),
// logged or not, for status and metrics. Pure: the caller passes the time and writes the lines.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lvsctl {

class LogRateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  struct Line {
    enum class Kind : std::uint8_t { none, full, summary };
    Kind kind = Kind::none;
    std::string reason;
    std::uint64_t suppressed = 0;  // summary: occurrences since the last line, this one included
    std::string last_detail;       // summary: the detail of the last of them
    explicit operator bool() const { return kind != Kind::none; }
  };

  explicit LogRateLimiter(Duration interval = std::chrono::seconds(10)) : interval_(interval) {}

  // One occurrence of `reason` (with a `detail`, e.g. the sender) at `now`: what to log, if
  // anything.
  Line occurred(const std::string& reason, const std::string& detail, TimePoint now);
  // Summaries due at `now` for reasons that went quiet with occurrences not yet logged (call it
  // from a periodic timer so the tail of a flood is reported too).
  std::vector<Line> due(TimePoint now);

  std::uint64_t total(const std::string& reason) const;
  const std::map<std::string, std::uint64_t>& totals() const { return totals_; }
  Duration interval() const { return interval_; }

 private:
  struct State {
    TimePoint last_line{};
    std::uint64_t suppressed = 0;
    std::string last_detail;
  };
  Line summary(const std::string& reason, State& state, TimePoint now);

  Duration interval_;
  std::map<std::string, State> reasons_;
  std::map<std::string, std::uint64_t> totals_;
};

}  // namespace lvsctl
