#include "director/check/file_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace lvsctl::director::check {
namespace {

constexpr std::int64_t kFault = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();

}  // namespace

std::int64_t file_check_status(std::int64_t value, int weight, bool reverse) {
  if (weight == 0) return (value != 0) != reverse ? kFault : 0;
  // A value is within [-2^31, 2^31] (the watcher drops others, as keepalived does) and a
  // weight within +-(2^31 - 1): the product fits in 64 bits; clamp first all the same.
  const std::int64_t v = std::clamp<std::int64_t>(value, kFault, kIntMax + 1);
  return std::clamp<std::int64_t>(v * weight * (reverse ? -1 : 1), kFault, kIntMax);
}

ProbeResult judge_file_value(std::string_view name, std::int64_t value, int weight, bool reverse) {
  const std::int64_t status = file_check_status(value, weight, reverse);
  if (weight == 0) {
    const std::string why =
        fmt::format("track_file {}: value {} (weight 0{}: a {} value is down)", name, value,
                    reverse ? " reverse" : "", reverse ? "zero" : "non-zero");
    ProbeResult result = status == kFault ? ProbeResult::down(why) : ProbeResult::up(why);
    result.weight_change = 0;
    return result;
  }
  const std::string why = fmt::format("track_file {}: value {} x weight {}{} = {}", name, value,
                                      reverse ? -static_cast<std::int64_t>(weight) : weight,
                                      reverse ? " (reverse)" : "", status);
  if (status == kFault) {
    ProbeResult down = ProbeResult::down(why + " (FAULT)");
    down.weight_change = 0;  // keepalived: a checker in FAULT adds nothing
    return down;
  }
  ProbeResult up = ProbeResult::up(why);
  up.weight_change = status;
  return up;
}

}  // namespace lvsctl::director::check
