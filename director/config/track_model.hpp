#pragma once
// vrrp_track_file / track_file blocks (keepalived.conf(5) "Track files"): a file whose integer
// content moves the priority of the instances that track it. Pure values.
//   track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }
// An instance's `track_file { NAME [weight W] [reverse] }` line may override weight and reverse.
// Status (keepalived's): weight 0: a non-zero value (a zero one with reverse) means FAULT;
// otherwise value x weight (negated with reverse), at most 253, and -254 or less means FAULT;
// the status is added to the priority (kept in 1..254; the owner, 255, never moves).
#include <cstdint>
#include <optional>
#include <string>

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

}  // namespace lvsctl::director::config
