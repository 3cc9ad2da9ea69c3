#pragma once
// vrrp_track_file / track_file blocks (keepalived.conf(5) "Track files"): a file whose integer
// content moves the priority of the instances that track it. Pure values.
//   track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }
// An instance's `track_file { NAME [weight W] [reverse] }` line may override weight and reverse.
// Status (keepalived's): weight 0: a non-zero value (a zero one with reverse) means FAULT;
// otherwise value x weight (negated with reverse), at most 253, and -254 or less means FAULT;
// the status is added to the priority (kept in 1..254; the owner, 255, never moves).
//
// vrrp_track_process blocks (keepalived.conf(5) "VRRP track processes"): the number of running
// processes that match decides whether the process "has quorum".
//   vrrp_track_process NAME { process NAME|PATH [PARAM...]; param_match [initial|partial];
//     weight W [reverse]; quorum N; quorum_max N; fork_delay S; terminate_delay S; delay S;
//     full_command }
// Instances (and sync groups) track it with `track_process { NAME [weight W [reverse]] }`.
#include <chrono>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

struct VrrpTrackFile {
  std::string name;
  std::string path;
  int weight = 1;  // -254..254
  bool reverse = false;
  std::optional<std::int64_t> init_value;  // init_file [VALUE]: written at start (VALUE 0)
  bool init_overwrite = false;             // ... even when the file exists
  conf::Location where;
};

// How a process's parameters must match `params` (keepalived's PARAM_MATCH_*): None ignores
// them; Exact wants exactly these; Partial wants these first (whole words, more may follow);
// Initial as Partial, but the last configured one may be a prefix of the process's word.
enum class ParamMatch : std::uint8_t { None, Exact, Partial, Initial };

struct VrrpTrackProcess {
  std::string name;
  std::string process;              // the comm name, or argv[0] with full_command
  std::vector<std::string> params;  // `process X P1 P2...`: P1, P2...
  ParamMatch param_match = ParamMatch::None;
  bool full_command = false;  // match /proc/PID/cmdline (set by params and param_match too)
  int weight = 0;             // -254..254; keepalived 2.2.7's default is 0 (its man page says 1)
  bool reverse = false;
  unsigned quorum = 1;               // fewest matching processes for quorum
  unsigned quorum_max = UINT_MAX;    // most
  std::chrono::microseconds fork_delay{0};       // quorum gained: wait this long first
  std::chrono::microseconds terminate_delay{0};  // quorum lost: wait this long first
  conf::Location where;
};

}  // namespace lvsctl::director::config
