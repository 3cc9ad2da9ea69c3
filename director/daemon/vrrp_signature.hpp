#pragma once
// What a reload does to a running vrrp_instance, decided from the old and new configuration:
//  - same: nothing the running instance uses changed; it keeps running untouched;
//  - update: only settings a running instance can take in place changed (priority other than to
//    or from 255, advert_int, state, nopreempt, preempt_delay, garp_master_*, tracking weights,
//    notify scripts, VIP lines added or removed in virtual_ipaddress(_excluded)): it keeps its
//    state (a MASTER stays MASTER, its VIPs stay up, new ones come up, removed ones go) and
//    sends the new values from its next advert on, as keepalived does;
//  - restart: anything else (interface, VRID, version, authentication, the VIPs' address family,
//    a kept VIP address with other details (prefix length, dev, label, scope, brd), unicast
//    addresses, the set of tracked interfaces and scripts or a vrrp_script's command and timing,
//    script security): the old instance stops (priority 0 when MASTER) and a new one starts.
// Source locations are ignored, so moving a block in the file changes nothing. Pure.
#include <string>

#include "director/config/model.hpp"

namespace lvsctl::director {

enum class VrrpReload { same, update, restart };
const char* to_string(VrrpReload kind);

// Everything the running instance uses: equal signatures mean `same`.
std::string vrrp_signature(const config::Config& config, const config::VrrpInstance& instance);
// What cannot change in place: equal restart signatures (and different signatures) mean `update`.
std::string vrrp_restart_signature(const config::Config& config,
                                   const config::VrrpInstance& instance);

VrrpReload classify_vrrp_reload(const config::Config& old_config,
                                const config::VrrpInstance& old_instance,
                                const config::Config& new_config,
                                const config::VrrpInstance& new_instance);

}  // namespace lvsctl::director
