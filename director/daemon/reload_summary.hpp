#pragma once
// What a reload changed, for its log line: VRRP instances added, removed, updated in place or
// restarted (classify_vrrp_reload), virtual servers added, removed or with changed settings,
// real servers added, removed or changed (weight, forwarding, inhibit, notify scripts,
// checkers). Matched by name (instances), key (virtual servers: address and port, fwmark or
// group, and protocol) and address:port (real servers of one virtual server); source locations
// are ignored. Pure.
#include <cstddef>
#include <string>
#include <vector>

#include "director/config/model.hpp"

namespace lvsctl::director {

struct ReloadSummary {
  std::vector<std::string> instances_added, instances_removed, instances_updated,
      instances_restarted;
  std::vector<std::string> virtual_servers_added, virtual_servers_removed, virtual_servers_changed;
  // "203.0.113.10:80 TCP / 198.51.100.2:80"
  std::vector<std::string> real_servers_added, real_servers_removed, real_servers_changed;

  bool empty() const;
};

ReloadSummary summarize_reload(const config::Config& before, const config::Config& after);

// "VRRP instances: 1 added (VI_3), 1 updated (VI_1); virtual servers: 1 removed (203.0.113.10:80
// TCP); real servers: 2 added (...)", names capped at 5 per list ("... and N more"); "no changes to
// VRRP instances, virtual servers or real servers" when empty.
std::string to_text(const ReloadSummary& summary);

}  // namespace lvsctl::director
