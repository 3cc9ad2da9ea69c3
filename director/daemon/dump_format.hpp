#pragma once
// The contents of keepalived's signal dump files, rendered from a DaemonSnapshot (pure):
//  - SIGUSR1 keepalived.data: keepalived's "------< ... >------" sections and "Name = value"
//    lines for the VRRP topology, then the virtual servers with each real server's health
//    (keepalived writes those to keepalived_check.data from its checker process);
//  - SIGUSR2 keepalived.stats: keepalived's per-instance layout, line for line;
//  - SIGRTMIN+2 keepalived.json: keepalived's array of {"data": {...}, "stats": {...}} per
//    instance (the fields lvsctl knows), each entry with an added "lvsctl" object: the status
//    JSON's view of the instance; the daemon, virtual servers and datapath in a last entry
//    {"lvsctl_status": {...}}.
// Where they differ from keepalived: docs/keepalived-compat.md, "Signal dumps".
#include <string>

#include "director/daemon/daemon_snapshot.hpp"

namespace lvsctl::director {

std::string keepalived_data_dump(const DaemonSnapshot& snapshot);
std::string keepalived_stats_dump(const DaemonSnapshot& snapshot);
std::string keepalived_json_dump(const DaemonSnapshot& snapshot);

}  // namespace lvsctl::director
