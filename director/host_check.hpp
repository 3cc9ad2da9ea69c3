#pragma once
// `check-config --host`: what a valid configuration needs from this machine — every interface
// it names (vrrp_instance `interface`, track_interface, a VIP's `dev`) exists, and every script
// (vrrp_script, notify_*, quorum_up/down, MISC_CHECK misc_path, notify_up/down) names an
// executable program (argv[0] found the way the daemon runs it), and the network namespace of
// `net_namespace` exists (the interfaces are then looked up inside it). Each miss is an error at the
// keyword's file:line:col; with `dynamic_interfaces` a missing interface is a warning (the
// instance waits in FAULT until it appears). The host is read through HostFacts, so the check
// itself is pure.
#include <functional>
#include <string>

#include "director/config/model.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

struct HostFacts {
  std::function<bool(const std::string& ifname)> interface_exists;
  // The script's command line (escapes as written in the file) -> ok, or why it cannot run.
  std::function<Status(const std::string& command)> script_runnable;
  // net_namespace NAME: ok when /run/netns/NAME exists and interface_exists now answers for that
  // namespace (this_host() enters it: check-config is a one-shot command), or why not. Unset:
  // the namespace counts as present and interfaces are looked up as they are.
  std::function<Status(const std::string& name)> use_net_namespace;
};

// This machine: if_nametoindex, and the script split and looked up in PATH as the daemon does
// (X_OK checked by find_program).
HostFacts this_host();

conf::Diagnostics host_diagnostics(const config::Config& config, const HostFacts& host);

}  // namespace lvsctl::director
