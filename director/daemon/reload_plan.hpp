#pragma once
// What a SIGHUP does, decided from values only (the daemon applies it and logs it):
//  - reload_verdict: unchanged files are not loaded again; a config with errors, or one the
//    datapath cannot express, is rejected and the running one stays; otherwise it is applied;
//  - plan_vrrp_reload: per vrrp_instance, by name, whether it keeps running untouched, is
//    updated in place, restarts (see vrrp_signature), stops (gone from the file) or starts (new).
// Pure.
#include <set>
#include <string>
#include <vector>

#include "director/config/model.hpp"

namespace lvsctl::director {

enum class ReloadVerdict { unchanged, rejected, apply };
const char* to_string(ReloadVerdict verdict);

// `parsed`: the files changed and were parsed; `valid`: no errors; `datapath_accepts`: the
// running datapath can express it (nftables refuses some IPVS features).
ReloadVerdict reload_verdict(bool parsed, bool valid, bool datapath_accepts);

struct VrrpReloadPlan {
  std::vector<std::string> keep;     // same settings: untouched
  std::vector<std::string> update;   // in-place settings changed: keeps its state
  std::vector<std::string> restart;  // stopped and started again
  std::vector<std::string> stop;     // running, no longer in the new config
  std::vector<std::string> start;    // in the new config, not running
  // The instances that keep their runner (keep + update).
  bool kept(const std::string& name) const;
  bool operator==(const VrrpReloadPlan&) const = default;
};

// `running`: the names of the instances that have a runner now (an instance that failed to start
// has none and is started again). Lists follow the order of the new config's instances; `stop`
// the order of `running`.
VrrpReloadPlan plan_vrrp_reload(const config::Config& old_config,
                                const config::Config& new_config,
                                const std::set<std::string>& running);

}  // namespace lvsctl::director
