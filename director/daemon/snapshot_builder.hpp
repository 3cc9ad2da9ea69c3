#pragma once
// Takes a DaemonSnapshot from the daemon's live objects, on the event loop (a read of values:
// no system call, no kernel dump). The only code that reads VrrpRunner / HealthMonitor /
// Datapath for reporting; everything else renders the snapshot.
#include <vector>

#include "director/config/model.hpp"
#include "director/daemon/daemon_snapshot.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/vrrp_runner.hpp"
#include "director/datapath/datapath.hpp"
#include "shared/conf/source_manifest.hpp"

namespace lvsctl::director {

struct SnapshotSources {
  const config::Config* config = nullptr;
  std::vector<const VrrpRunner*> vrrp;  // in config order
  // Instances that wait in FAULT for their interface (dynamic_interfaces): name -> interface.
  std::map<std::string, std::string> waiting;
  const HealthMonitor* health = nullptr;
  datapath::DatapathStatus datapath;
};

// 16 hex digits identifying the loaded files (paths, sizes, content hashes): equal for the same
// content under the same lvsctl build.
std::string manifest_hash(const conf::SourceManifest& sources);

// `base` carries what the daemon keeps itself (version, pid, start, config path and hash,
// reload counters); the rest is filled from `sources`, `taken` set to now.
DaemonSnapshot take_snapshot(DaemonSnapshot base, const SnapshotSources& sources);

}  // namespace lvsctl::director
