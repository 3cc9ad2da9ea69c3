#pragma once
// DaemonSnapshot: one value of the running director's state, taken on the event loop
// (take_snapshot in snapshot_builder) and read by everything that reports it: `director status`
// (text and JSON), the SIGUSR1/SIGUSR2/SIGRTMIN+2 dumps and the Prometheus metrics. Pure data:
// the renderers are pure functions of it (and of the kernel's table, for status). Taking one is
// cheap whatever the size of the configuration (the real servers' part is shared while
// unchanged), so a scrape or a status request costs the loop next to nothing.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "director/check/check_stats.hpp"
#include "director/daemon/shared_list.hpp"

namespace lvsctl::director {

using WallTime = std::chrono::system_clock::time_point;

struct TrackScriptSnapshot {
  std::string name;
  std::optional<bool> success;  // nullopt: no result yet
};

// An instance's settings as keepalived's data dump (SIGUSR1) writes them: as configured and
// defaulted, and lvsctl's fixed behaviour where it has no keyword (dump_format.cpp).
struct VrrpSettingsSnapshot {
  bool ipv6 = false;
  bool dont_track_primary = false;
  bool strict = false;                     // vrrp_strict
  std::string src_ip;                      // unicast_src_ip / mcast_src_ip; empty: not configured
  std::string mcast_group;                 // IPv4 multicast instances; empty otherwise
  std::vector<std::string> unicast_peers;  // "ADDR min_ttl N max_ttl N", as keepalived
  bool check_unicast_src = false;
  double garp_delay = 5;  // seconds
  unsigned garp_repeat = 5;
  double garp_refresh = 0;
  unsigned garp_refresh_repeat = 1;
  double garp_lower_prio_delay = 5;
  unsigned garp_lower_prio_repeat = 5;
  bool accept = true;
  bool nopreempt = false;
  double preempt_delay = 0;
  std::string auth_type;  // empty: none; "SIMPLE_PASSWORD", "IPSEC_AH"
  std::string auth_pass;
  std::int64_t master_down_timer_us = 0;
};

// global_defs as keepalived's data dump writes them ("------< Global definitions >------").
struct GlobalSettingsSnapshot {
  bool known = false;     // taken from a loaded configuration
  std::string router_id;  // empty: not configured
  bool dynamic_interfaces = false;
  bool lvs_flush = false;
  double garp_delay = 5;
  unsigned garp_repeat = 5;
  double garp_refresh = 0;
  unsigned garp_refresh_repeat = 1;
  std::optional<double> garp_lower_prio_delay;     // unset: garp_delay
  std::optional<unsigned> garp_lower_prio_repeat;  // unset: garp_repeat
  std::string mcast_group4 = "224.0.0.18";
  double garp_interval = 0;
  double gna_interval = 0;
  int vrrp_version = 2;
  bool check_unicast_src = false;
  bool strict = false;
};

struct VrrpInstanceSnapshot {
  std::string name;
  std::string interface;
  int vrid = 0;
  int version = 2;
  std::string state;  // INIT, BACKUP, MASTER, FAULT
  int priority = 0;   // configured
  int effective_priority = 0;
  double advert_interval = 1.0;  // seconds
  std::string master_address;    // empty: unknown
  std::string sync_group;        // empty: none
  std::vector<std::string> vips;
  std::uint64_t adverts_sent = 0;
  std::uint64_t adverts_received = 0;
  std::uint64_t adverts_rejected = 0;
  std::string last_rejection;
  std::map<std::string, std::uint64_t> rejected_by_reason;  // also adverts accepted with a warning
  std::uint64_t transitions = 0;
  std::uint64_t become_master = 0;
  std::uint64_t release_master = 0;
  std::uint64_t priority_zero_sent = 0;
  std::uint64_t priority_zero_received = 0;
  std::optional<WallTime> last_transition;
  struct Conflict {
    std::string peer;
    int priority = 0;
    WallTime since{};
  };
  std::optional<Conflict> conflict;  // another master heard beside us (split brain)
  std::vector<TrackScriptSnapshot> track_scripts;
  std::string waiting_for;  // FAULT until this interface appears (dynamic_interfaces)
  VrrpSettingsSnapshot settings;
};

struct RealServerSnapshot {
  std::string address;  // IpAddress text
  int port = 0;
  bool up = true;
  int weight = 0;             // as in the datapath now
  int configured_weight = 0;
  bool checked = false;       // has at least one checker
  std::string checker;        // kind of the last check ("TCP_CHECK", ...), empty before one
  std::optional<bool> last_check_success;
  std::string last_check_reason;
  check::CheckStats checks;
};

struct VirtualServerSnapshot {
  std::string kind;  // "address", "fwmark" or "group"
  std::string address;
  int port = 0;
  std::uint32_t fwmark = 0;
  std::string group;
  std::string protocol;  // TCP, UDP, SCTP
  bool quorum_up = true;
  std::vector<RealServerSnapshot> real_servers;
  // "TCP 203.0.113.10:80", "FWM 7", "group web": the label of metrics and status lines.
  std::string label() const;
};

struct DatapathSnapshot {
  std::string backend;  // "ipvs" or "nftables"
  bool available = false;
  std::string unavailable_reason;
  std::uint64_t requests_sent = 0;
  std::uint64_t transactions = 0;
  std::uint64_t applies = 0;
  std::uint64_t apply_errors = 0;
  std::string table;               // nftables: "ip lvsctl" (and "netdev lvsctl" with DR)
  std::vector<std::string> notes;  // VIPs not held, DR MACs unresolved, a retry pending
};

struct ReloadSnapshot {
  std::uint64_t applied = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unchanged = 0;
  std::string last_result;  // "applied", "rejected", "unchanged"; empty: no reload yet
  std::optional<WallTime> last_at;
  std::optional<WallTime> last_success_at;  // the running config's load (start or reload)
};

struct DaemonSnapshot {
  std::string version;
  int pid = 0;
  WallTime started{};
  WallTime taken{};
  std::string config_path;
  std::string config_hash;  // hex, of the loaded files' paths and contents
  std::vector<VrrpInstanceSnapshot> vrrp;
  // Shared with the health monitor's cache and earlier snapshots while no check result came in:
  // taking a snapshot of thousands of real servers copies a pointer (HealthMonitor::snapshot).
  SharedList<VirtualServerSnapshot> virtual_servers;
  DatapathSnapshot datapath;
  ReloadSnapshot reload;
  GlobalSettingsSnapshot global;
};

// keepalived's numeric VRRP states (its JSON dump, keepalived-exporter): INIT 0, BACKUP 1,
// MASTER 2, FAULT 3.
int keepalived_state_code(const std::string& state);

// Seconds since the epoch, with microseconds.
double unix_seconds(WallTime t);

// What a monitoring check alerts on (`director status` exits 1 when any holds).
struct Degradation {
  std::vector<std::string> reasons;  // one line each: "real server ... down: reason", ...
  bool degraded() const { return !reasons.empty(); }
};
Degradation degradation(const DaemonSnapshot& snapshot);

}  // namespace lvsctl::director
