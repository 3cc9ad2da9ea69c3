#pragma once
// What the nftables datapath cannot express, as configuration errors (file:line:col + reason),
// so `check-config` and `director run` refuse it instead of forwarding differently. Pure.
//
// Supported: IPv4 TCP/UDP virtual servers (address or virtual_server_group), lb_kind NAT and
// DR (a DR VIP must be a vrrp_instance's: its interface carries the ingress chain), schedulers
// rr, wrr, sh and mh (a Maglev table), persistence_timeout (per client address). Refused:
// lb_kind TUN (no nftables equivalent), NAT and DR real servers mixed in one virtual server,
// fwmark services, IPv6, SCTP, port 0, persistence_granularity, the schedulers lc, wlc, lblc,
// lblcr, dh, sed, nq, fo, ovf, twos (they need connection counts or tables nftables does not
// keep). Warned and ignored: ops, scheduler flags.
#include "director/config/model.hpp"
#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::datapath {

conf::Diagnostics nftables_diagnostics(const config::Config& config);

}  // namespace lvsctl::director::datapath
