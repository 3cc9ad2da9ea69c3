#pragma once
// A DaemonSnapshot with one of everything, for the renderers' tests (metrics, status, dumps).
#include "director/daemon/daemon_snapshot.hpp"

namespace lvsctl::director::testing {

inline WallTime at(long long unix_seconds) {
  return WallTime(std::chrono::seconds(unix_seconds));
}

inline DaemonSnapshot sample_snapshot() {
  DaemonSnapshot s;
  s.version = "1.2.3";
  s.pid = 4242;
  s.started = at(1764684000);  // 2025-12-02T14:00:00Z
  s.taken = at(1764687723);    // 1h 2m 3s later
  s.config_path = "/etc/keepalived/keepalived.conf";
  s.config_hash = "00112233445566ff";
  s.reload.applied = 2;
  s.reload.rejected = 1;
  s.reload.last_result = "rejected";
  s.reload.last_at = at(1764687000);
  s.reload.last_success_at = at(1764686000);

  VrrpInstanceSnapshot vi;
  vi.name = "VI_1";
  vi.interface = "eth0";
  vi.vrid = 51;
  vi.state = "MASTER";
  vi.priority = 150;
  vi.effective_priority = 140;
  vi.master_address = "203.0.113.1";
  vi.vips = {"203.0.113.10/32"};
  vi.adverts_sent = 3600;
  vi.adverts_received = 12;
  vi.adverts_rejected = 5;
  vi.last_rejection = "auth mismatch: \"x\"";
  vi.rejected_by_reason = {{"auth mismatch", 3}, {"bad TTL/hop limit", 2},
                           {"accepted with address list mismatch", 4}};
  vi.transitions = 2;
  vi.become_master = 1;
  vi.priority_zero_received = 1;
  vi.last_transition = at(1764684004);
  vi.track_scripts = {{"chk_nginx", true}, {"chk_disk", std::nullopt}};
  s.vrrp.push_back(vi);
  VrrpInstanceSnapshot v6;
  v6.name = "VI_6";
  v6.interface = "eth1";
  v6.vrid = 52;
  v6.version = 3;
  v6.state = "FAULT";
  v6.priority = 100;
  v6.effective_priority = 100;
  v6.vips = {"2001:db8::10/128"};
  s.vrrp.push_back(v6);

  VirtualServerSnapshot vs;
  vs.kind = "address";
  vs.address = "203.0.113.10";
  vs.port = 80;
  vs.protocol = "TCP";
  vs.quorum_up = false;
  RealServerSnapshot up;
  up.address = "198.51.100.2";
  up.port = 80;
  up.weight = 1;
  up.configured_weight = 1;
  up.checked = true;
  up.checker = "TCP_CHECK";
  up.last_check_success = true;
  up.last_check_reason = "connected";
  up.checks.successes = 3;
  up.checks.duration.observe(0.0004);
  up.checks.duration.observe(0.003);
  up.checks.duration.observe(0.2);
  RealServerSnapshot down = up;
  down.address = "198.51.100.3";
  down.up = false;
  down.weight = 0;
  down.last_check_success = false;
  down.last_check_reason = "connection refused";
  down.checks.failures = 1;
  down.checks.last_failure_reason = "connection refused";
  down.checks.last_failure_at = at(1764687600);
  down.checks.transitions = 1;
  down.checks.last_transition_at = at(1764687600);
  RealServerSnapshot unchecked;
  unchecked.address = "2001:db8::5";
  unchecked.port = 8080;
  unchecked.weight = 2;
  unchecked.configured_weight = 2;
  vs.real_servers = {up, down, unchecked};
  VirtualServerSnapshot fwm;
  fwm.kind = "fwmark";
  fwm.fwmark = 7;
  fwm.protocol = "TCP";
  s.virtual_servers = SharedList<VirtualServerSnapshot>({vs, fwm});

  s.datapath.backend = "ipvs";
  s.datapath.available = true;
  s.datapath.requests_sent = 40;
  s.datapath.applies = 9;
  s.datapath.apply_errors = 1;
  return s;
}

}  // namespace lvsctl::director::testing
