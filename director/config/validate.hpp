#pragma once
// Rules that span elements of a built Config (each element is already well-formed on its own):
// VRRP — missing VRID/interface, the same VRID twice on one interface and address family, one
// VIP in two instances, mixed VIP families, IPv6 with VRRPv2, unknown track_script and sync group
// members; LVS — duplicate services and real servers, unknown virtual_server_group, services
// without real servers, DR/TUN real server ports that differ from the service port, address
// family mismatches, checkers with nothing to connect to, quorum above the total weight.
// Problems are appended to `diags`; nothing in `config` is changed.
#include "director/config/model.hpp"

namespace lvsctl::director::config {

void validate_config(const Config& config, conf::Diagnostics& diags);

}  // namespace lvsctl::director::config
