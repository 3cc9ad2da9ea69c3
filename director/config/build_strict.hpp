#pragma once
// global_defs `vrrp_strict`: strict RFC compliance as keepalived 2.2.7 applies it (observed
// with keepalived 2.2.7 itself, see docs/keepalived-compat.md):
//  - an instance's `authentication` is ignored ("Strict mode does not support authentication");
//  - `accept` with VRRPv2 is reset to no_accept (RFC 3768 has no accept mode); strict mode's
//    default is no_accept (VRRPv3 instances may still say `accept`);
//  - an instance without VIPs is an error;
//  - its trap: with no_accept keepalived drops all traffic to and from the VIPs while MASTER
//    (an nftables/iptables drop), so virtual servers on the VIPs stop answering. lvsctl does not
//    drop that traffic; check-config says so per instance.
#include "director/config/build_context.hpp"
#include "director/config/build_parts.hpp"

namespace lvsctl::director::config {

void read_vrrp_strict(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g);
void apply_vrrp_strict(BuildContext& ctx, const GlobalDefs& global, bool accept_set,
                       VrrpInstance& vi);

}  // namespace lvsctl::director::config
