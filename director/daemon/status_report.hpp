#pragma once
// What `lvsctl director status` shows, built inside the daemon from its live state:
// - JSON: `vrrp_instances[]` (name, state, priority, effective_priority, master_address, vips,
//   counters), `virtual_servers[]` (real-server health, see HealthMonitor) and `ipvs`
//   (available, reason, services[] with destinations[] and counters);
// - text: one line per VRRP instance, then the IPVS table as `ipvsadm -Ln` prints it.
#include <string>
#include <vector>

#include "director/daemon/health_monitor.hpp"
#include "director/daemon/ipvs_sync.hpp"
#include "director/daemon/vrrp_runner.hpp"

namespace lvsctl::director {

std::string status_json(const std::vector<const VrrpRunner*>& vrrp, IpvsSync& ipvs,
                        const HealthMonitor* health);
std::string status_text(const std::vector<const VrrpRunner*>& vrrp, IpvsSync& ipvs);

// `ipvsadm -Ln` layout of a table (used by status_text; pure).
std::string ipvsadm_listing(const ipvs::Table& table);

}  // namespace lvsctl::director
