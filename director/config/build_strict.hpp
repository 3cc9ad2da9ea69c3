#pragma once
// global_defs `vrrp_strict` and vrrp_instance `strict_mode [on|off|true|false|yes|no]`: strict
// RFC compliance as keepalived 2.2.7 applies it (observed with keepalived 2.2.7 itself, see
// docs/keepalived-compat.md). An instance is strict when its strict_mode says so (on without a
// value), else when global_defs has vrrp_strict; vrrp_strict does nothing else. A strict
// instance gets:
//  - an instance's `authentication` is ignored ("Strict mode does not support authentication");
//  - `accept` with VRRPv2 is reset to no_accept (RFC 3768 has no accept mode); strict mode's
//    default is no_accept (VRRPv3 instances may still say `accept`);
//  - an instance without VIPs is an error;
//  - `state` must match being the address owner (priority 255): else reset to what the
//    priority says; preempt_delay reset to 0; vmac_xmit_base reset;
//  - garp_lower_prio_delay/repeat default to 0 (build_vrrp.cpp);
//  - its trap: with no_accept keepalived drops all traffic to and from the VIPs while MASTER
//    (an nftables/iptables drop), so virtual servers on the VIPs stop answering. lvsctl drops it
//    too (daemon/accept_filter.hpp); check-config says so per instance.
#include "director/config/build_context.hpp"
#include "director/config/build_parts.hpp"

namespace lvsctl::director::config {

void read_vrrp_strict(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g);
// strict_mode in a vrrp_instance: no value is on; keepalived's words only (lower case).
void read_strict_mode(BuildContext& ctx, const conf::Statement& s, VrrpInstanceDraft& d);
// Pure: whether the instance is strict (its strict_mode, else global vrrp_strict).
bool instance_is_strict(const GlobalDefs& global, const VrrpInstanceDraft& d);
// Resolves vi.strict_mode and applies it (see above).
void apply_vrrp_strict(BuildContext& ctx, const GlobalDefs& global, const VrrpInstanceDraft& d,
                       VrrpInstance& vi);

}  // namespace lvsctl::director::config
