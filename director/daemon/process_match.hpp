#pragma once
// vrrp_track_process, pure: does a process match a vrrp_track_process block (keepalived 2.2.7's
// rules), the fields of /proc/PID/stat it needs, and the quorum verdict with its delays.
//
// Matching: without full_command the process name (/proc/PID/stat's comm, at most 15 bytes) must
// equal `process`; with it, argv[0] of /proc/PID/cmdline must, and then the parameters are
// compared as param_match says (see config::ParamMatch). Zombies never match.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "director/config/track_model.hpp"

namespace lvsctl::director {

// What /proc/PID/stat says of a process: its name (between the first '(' and the last ')') and
// whether it is a zombie (state Z) or dead (X). nullopt when the text is not a stat line.
struct ProcessStat {
  std::string_view comm;
  bool gone = false;
};
std::optional<ProcessStat> parse_process_stat(std::string_view stat);

// `cmdline` is what was read of /proc/PID/cmdline (NUL-separated words, maybe cut short at
// cmdline_bytes_needed()); `comm` the process name. Only the one the block uses is looked at.
bool process_matches(const config::VrrpTrackProcess& spec, std::string_view comm,
                     std::string_view cmdline);

// How many bytes of /proc/PID/cmdline decide whether `spec` matches: its argv[0] and parameters,
// each NUL-terminated, plus one (a longer command line then shows as longer).
std::size_t cmdline_bytes_needed(const config::VrrpTrackProcess& spec);

// Quorum: quorum <= count <= quorum_max. The first count decides at once; after that a change
// of verdict waits fork_delay (gained) or terminate_delay (lost), and is called off when the
// count goes back before then.
class ProcessQuorum {
 public:
  using Clock = std::chrono::steady_clock;
  ProcessQuorum(unsigned quorum, unsigned quorum_max, std::chrono::microseconds fork_delay,
                std::chrono::microseconds terminate_delay);
  explicit ProcessQuorum(const config::VrrpTrackProcess& spec)
      : ProcessQuorum(spec.quorum, spec.quorum_max, spec.fork_delay, spec.terminate_delay) {}

  // A new count at `now`. Returns the new verdict when it changes now.
  std::optional<bool> count(unsigned processes, Clock::time_point now);
  // Returns the new verdict once a pending change's time has come.
  std::optional<bool> tick(Clock::time_point now);
  // When a pending change is due (nullopt: none pending).
  std::optional<Clock::time_point> due() const;
  std::optional<bool> verdict() const { return verdict_; }
  unsigned processes() const { return processes_; }

 private:
  unsigned quorum_;
  unsigned quorum_max_;
  std::chrono::microseconds fork_delay_;
  std::chrono::microseconds terminate_delay_;
  unsigned processes_ = 0;
  std::optional<bool> verdict_;
  std::optional<Clock::time_point> due_;  // verdict_ flips then
};

}  // namespace lvsctl::director
