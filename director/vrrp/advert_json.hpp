#pragma once
// `director watch --json`: one JSON object per line for each advert, rejected packet and
// two-masters event. Pure. Every object has "time" (UTC, ISO 8601 with microseconds),
// "interface", "direction" ("in" or "out") and "event":
//  - "advert": source, destination, version, vrid, priority, interval_s (number), auth
//    ("none", "PASS", "AH"; v2 only), auth_pass (v2 PASS only), addresses (array);
//  - "rejected": reason (the rejection counters' reason, e.g. "truncated packet"), detail (text);
//  - "two_masters": vrid, version, first, first_priority, second, second_priority.
#include <chrono>
#include <string>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/master_conflict.hpp"

namespace lvsctl::director::vrrp {

struct WireContext {
  std::chrono::system_clock::time_point time;
  std::string interface;
  bool outgoing = false;
};

std::string advert_json(const WireContext& where, const Advert& advert);
std::string rejection_json(const WireContext& where, const Rejection& rejection);
std::string conflict_json(const WireContext& where, const MasterConflict& conflict);

}  // namespace lvsctl::director::vrrp
