#pragma once
// FILE_CHECK's verdict on a track file's value, as keepalived 2.2.7 (track_file.c,
// process_update_checker_track_file_status) turns it into a checker state and a weight:
//   - weight 0: a non-zero value is down (with reverse: a zero value is down); up adds nothing;
//   - otherwise the status is value x weight (negated with reverse), kept in the int range;
//     -2147483648 (keepalived's IPVS_WEIGHT_FAULT) is down, anything else is up and added to
//     the real server's weight (RealServerHealth keeps that weight in 0..65535: a negative sum
//     leaves an up real server at weight 0, as keepalived's real_weight() does).
// There is no probe: the daemon's track file watcher reads the file when it changes and each
// value is judged here, pure.
#include <cstdint>
#include <string_view>

#include "director/check/probe_result.hpp"

namespace lvsctl::director::check {

// keepalived's status of `value` for one FILE_CHECK: INT32_MIN is its FAULT.
std::int64_t file_check_status(std::int64_t value, int weight, bool reverse);

// The result of FILE_CHECK on track_file `name` reading `value`: down on FAULT; up otherwise,
// with `weight_change` the status (0 with weight 0). The reason names the file and the sum:
//   "track_file load: value 5 x weight 10 = 50", "track_file stop: value 1 (weight 0: a
//   non-zero value is down)".
ProbeResult judge_file_value(std::string_view name, std::int64_t value, int weight, bool reverse);

}  // namespace lvsctl::director::check
