#pragma once
// The typed keepalived.conf model: what a configuration means, after defaults and inheritance
// (virtual server -> real server -> checker) are resolved. Built by build_config() from the
// statement tree and checked by validate_config(); consumed by the VRRP runtime, the IPVS plan,
// the health checkers and `realserver --from-director-config`.
//
// Every element keeps the Location of the statement that declared it, so later stages (reload,
// validation, runtime warnings) can point at the file:line:col that caused them.
//
// Defaults are those of keepalived 2.2.7 (man 5 keepalived.conf and its parser):
//   vrrp_instance: state BACKUP (MASTER when priority 255), priority 100 (255 when state MASTER
//   and no priority), advert_int 1 s, version = global vrrp_version (2), garp_master_delay /
//   repeat = global (5 s / 5), accept on, preempt on, preempt_delay 0.
//   vrrp_script: interval 1 s, timeout = interval, weight 0, rise 1, fall 1.
//   virtual_server: delay_loop 60 s, lvs_sched wlc, lvs_method NAT, persistence off
//   (keyword without value: 360 s), protocol UDP when unset (keepalived warns), quorum 1,
//   hysteresis 0, connect_timeout 5 s, warmup = delay_loop.
//   real_server: weight 1 (or the virtual server's `weight`).
//   checkers: see checker.hpp (checker_defaults()); connect_ip/port = the real server's, url
//   status_code 200-299, misc_timeout = delay_loop.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "director/config/checker.hpp"
#include "director/config/ip_prefix.hpp"
#include "director/config/route_model.hpp"
#include "director/config/track_model.hpp"
#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

// Which datapath forwards the virtual servers (global_defs lb_backend; `director run
// --lb-backend` overrides it). Auto: IPVS when the kernel has it, else nftables.
enum class LbBackend : std::uint8_t { Auto, Ipvs, Nftables };
// TCP_CHECK on IPv4: a full connect() as keepalived does, or a half-open SYN probe (raw socket).
enum class TcpCheckMode : std::uint8_t { Connect, Syn };

// `lvs_timeouts tcp T tcpfin T udp T` (keepalived 2.2.7: seconds, 0..31 days; unset: the kernel's).
struct LvsTimeouts {
  std::optional<Duration> tcp;
  std::optional<Duration> tcpfin;
  std::optional<Duration> udp;
};

// `lvs_sync_daemon IFACE [INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group ADDR]` (or the
// deprecated per-instance `lvs_sync_daemon_interface IFACE`). Read and kept: lvsctl does not run
// the IPVS connection sync daemon yet. Unset numbers take the kernel's / the VRID's defaults.
struct LvsSyncDaemon {
  std::string interface;
  std::string instance;             // the vrrp_instance whose state drives master/backup sync
  std::optional<unsigned> sync_id;  // 0..255; unset: the instance's VRID
  std::optional<unsigned> maxlen;   // 1..65507
  std::optional<unsigned> port;     // 1..65535
  std::optional<unsigned> ttl;      // 1..255
  std::optional<IpAddress> group;   // a multicast address
  Location where;
};

struct GlobalDefs {
  std::optional<std::string> router_id;
  int vrrp_version = 2;
  bool enable_script_security = false;
  std::optional<std::string> script_user;
  std::optional<std::string> script_group;
  bool lvs_flush = false;
  // dynamic_interfaces [allow_if_changes]: instances may name interfaces that do not exist yet
  // (check-config --host then warns instead of failing); lvsctl always lets them wait in FAULT.
  bool dynamic_interfaces = false;
  LbBackend lb_backend = LbBackend::Auto;
  Location lb_backend_where;  // of `lb_backend`, if present
  TcpCheckMode tcp_check_mode = TcpCheckMode::Connect;  // lvsctl's own keyword `tcp_check_mode`
  Duration vrrp_garp_master_delay = std::chrono::seconds(5);
  unsigned vrrp_garp_master_repeat = 5;
  // Read with keepalived's ranges and kept; not acted on yet (each warns what is ignored).
  Duration vrrp_garp_master_refresh{0};  // 0: no periodic refresh
  unsigned vrrp_garp_master_refresh_repeat = 1;
  std::optional<Duration> vrrp_garp_lower_prio_delay;   // unset: vrrp_garp_master_delay
  std::optional<unsigned> vrrp_garp_lower_prio_repeat;  // unset: vrrp_garp_master_repeat
  Duration vrrp_garp_interval{0};  // between gratuitous ARPs on one interface; 0: none
  Duration vrrp_gna_interval{0};   // between unsolicited NAs on one interface; 0: none
  bool vrrp_check_unicast_src = false;
  std::optional<LvsTimeouts> lvs_timeouts;
  std::optional<LvsSyncDaemon> lvs_sync_daemon;
  IpAddress vrrp_mcast_group4 = IpAddress::v4(0xe0000012);  // 224.0.0.18
  // lvsctl: the Prometheus endpoint ("ADDR:PORT", checked) and the control socket's group.
  std::optional<std::string> metrics_listen;
  std::optional<std::string> control_socket_group;
  // notify_fifo / vrrp_notify_fifo: VRRP state lines to a FIFO (director/daemon/notify_fifo);
  // notify_fifo also gets the health checks' lines, as lvs_notify_fifo;
  // each with an optional script started with the FIFO's path as its argument.
  std::optional<std::string> notify_fifo;
  std::optional<ScriptCommand> notify_fifo_script;
  std::optional<std::string> vrrp_notify_fifo;
  std::optional<ScriptCommand> vrrp_notify_fifo_script;
  std::optional<std::string> lvs_notify_fifo;  // the health checks' VS/RS lines only
  std::optional<ScriptCommand> lvs_notify_fifo_script;
  std::optional<Location> vrrp_strict;  // where `vrrp_strict` is, if present (build_strict.hpp)
  // `net_namespace NAME` (a top-level keyword in keepalived 2.2.7): the daemon runs inside
  // /run/netns/NAME (entered at start-up, before any socket is opened).
  std::optional<std::string> net_namespace;
  Location net_namespace_where;
  Location where;                                           // of `global_defs`, if present
};

// ---- VRRP ----------------------------------------------------------------------------------

enum class VrrpState : std::uint8_t { Master, Backup };
enum class AuthType : std::uint8_t { None, Pass, Ah };

// One line of virtual_ipaddress / virtual_ipaddress_excluded:
// ADDR[/LEN] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL].
struct VirtualAddress {
  IpPrefix prefix;  // length defaults to 32 / 128
  std::optional<IpAddress> broadcast;
  std::string dev;               // empty: the instance's interface
  std::string label;             // empty: none
  std::string scope = "global";  // global|site|link|host|nowhere
  Location where;
};

struct UnicastPeer {
  IpAddress address;
  std::optional<int> min_ttl;
  std::optional<int> max_ttl;
  Location where;
};

struct TrackedInterface {
  std::string name;
  int weight = 0;  // 0: interface down puts the instance in FAULT
  bool reverse = false;
  Location where;
};

struct TrackedScript {
  std::string name;           // a vrrp_script
  std::optional<int> weight;  // unset: the script's own weight
  bool reverse = false;
  Location where;
};

// notify_master / notify_backup / notify_fault / notify_stop / notify (any transition).
struct NotifyScripts {
  std::optional<ScriptCommand> master;
  std::optional<ScriptCommand> backup;
  std::optional<ScriptCommand> fault;
  std::optional<ScriptCommand> stop;
  std::optional<ScriptCommand> any;
};

struct VrrpInstance {
  std::string name;
  VrrpState state = VrrpState::Backup;
  bool state_configured = false;
  std::string interface;  // may be empty with unicast and an explicit source address
  Location interface_where;  // of the interface name, if given
  int vrid = 0;           // 1..255; 0 only when missing (an error)
  int priority = 100;     // 1..255
  Duration advert_int = std::chrono::seconds(1);
  int version = 2;  // 2 or 3
  AuthType auth_type = AuthType::None;
  std::string auth_pass;  // at most 8 characters are used on the wire
  std::vector<VirtualAddress> virtual_ipaddress;
  std::vector<VirtualAddress> virtual_ipaddress_excluded;
  std::vector<IpRoute> virtual_routes;  // installed while MASTER (route_model.hpp)
  std::vector<IpRule> virtual_rules;
  bool nopreempt = false;
  Duration preempt_delay{0};
  // unicast_src_ip (mcast_src_ip sets the same source address).
  std::optional<IpAddress> unicast_src_ip;
  std::vector<UnicastPeer> unicast_peers;
  std::vector<TrackedInterface> track_interfaces;
  std::vector<TrackedScript> track_scripts;
  std::vector<TrackedScript> track_files;  // track_file lines: a vrrp_track_file name, weight
  std::vector<TrackedScript> track_processes;  // track_process lines: a vrrp_track_process name
  NotifyScripts notify;
  Duration garp_master_delay = std::chrono::seconds(5);
  unsigned garp_master_repeat = 5;
  // Read and kept, not acted on yet; unset ones take global_defs' vrrp_garp_* values (the
  // lower_prio ones 0 under vrrp_strict, as keepalived).
  Duration garp_master_refresh{0};
  unsigned garp_master_refresh_repeat = 1;
  Duration garp_lower_prio_delay = std::chrono::seconds(5);
  unsigned garp_lower_prio_repeat = 5;
  bool unicast_fault_no_peer = false;
  bool check_unicast_src = false;
  std::string lvs_sync_daemon_interface;  // deprecated; global lvs_sync_daemon replaces it
  bool accept = true;  // accept (default) / no_accept
  // strict_mode [on|off]: this instance's vrrp_strict (build_strict.hpp); resolved: the
  // instance's strict_mode if given, else global_defs vrrp_strict.
  bool strict_mode = false;
  bool dont_track_primary = false;
  // use_vmac [NAME]: VIPs on a macvlan with the VRRP virtual MAC (name empty: "vrrp.VRID");
  // vmac_xmit_base: adverts still go out of (and come in on) `interface`.
  bool use_vmac = false;
  std::string vmac_name;
  bool vmac_xmit_base = false;
  std::string sync_group;  // filled from vrrp_sync_group membership; empty when none
  Location where;
};

struct VrrpSyncGroup {
  std::string name;
  std::vector<std::string> instances;  // `group { ... }`
  std::vector<Location> instance_where;
  // Tracking of the group applies to every member: the builder copies these into each member's
  // own lists (as keepalived 2.2.7 adds every member to the group's tracked objects).
  std::vector<TrackedInterface> track_interfaces;
  std::vector<TrackedScript> track_scripts;
  std::vector<TrackedScript> track_processes;  // given to every member (keepalived's)
  std::vector<TrackedScript> track_files;  // track_file lines: a track_file name, weight
  NotifyScripts notify;
  Location where;
};

struct VrrpScript {
  std::string name;
  ScriptCommand script;
  Duration interval = std::chrono::seconds(1);
  std::optional<Duration> timeout;  // unset: the interval
  int weight = 0;                   // -253..253
  bool weight_reverse = false;
  unsigned rise = 1;
  unsigned fall = 1;
  bool init_fail = false;
  Location where;
};

// ---- LVS -----------------------------------------------------------------------------------

enum class ForwardingMethod : std::uint8_t { Nat, Dr, Tun };
enum class Protocol : std::uint8_t { Tcp, Udp, Sctp };

struct RealServer {
  IpAddress address;
  std::uint16_t port = 0;  // resolved: omitted means the virtual server's port
  int weight = 1;          // 0..65535
  ForwardingMethod method = ForwardingMethod::Nat;  // resolved from the virtual server
  bool inhibit_on_failure = false;
  bool alpha = false;
  std::optional<ScriptCommand> notify_up;
  std::optional<ScriptCommand> notify_down;
  std::vector<Checker> checkers;
  Location where;
};

struct SorryServer {
  IpAddress address;
  std::uint16_t port = 0;
  bool inhibit = false;
  std::optional<ForwardingMethod> method;  // sorry_server_lvs_method; unset: the service's
  Location where;
};

enum class VirtualServerKind : std::uint8_t { Address, Fwmark, Group };

struct VirtualServer {
  VirtualServerKind kind = VirtualServerKind::Address;
  IpAddress address;                       // kind Address
  std::uint16_t port = 0;                  // kind Address; 0 = any port (persistent services only)
  std::uint32_t fwmark = 0;                // kind Fwmark
  std::string group;                       // kind Group: a virtual_server_group
  std::optional<AddressFamily> ip_family;  // ip_family, for fwmark/group services

  Duration delay_loop = std::chrono::seconds(60);
  std::string scheduler = "wlc";
  // Scheduler flags flag-1..flag-3 as bits 0..2; for sh and mh, flag-1 is sh-/mh-fallback and
  // flag-2 is sh-/mh-port (ipvsadm -b).
  std::uint8_t scheduler_flags = 0;
  bool one_packet = false;  // 'ops': one-packet scheduling (UDP and fwmark services; ipvsadm -o)
  ForwardingMethod method = ForwardingMethod::Nat;
  std::uint32_t persistence_timeout = 0;               // seconds; 0 = not persistent
  std::optional<std::string> persistence_granularity;  // IPv4 netmask or IPv6 prefix length
  std::optional<Protocol> protocol;                    // unset only for fwmark services
  std::optional<SorryServer> sorry_server;
  bool inhibit_on_failure = false;
  unsigned quorum = 1;
  unsigned hysteresis = 0;
  bool alpha = false;
  bool omega = false;
  std::optional<ScriptCommand> quorum_up;
  std::optional<ScriptCommand> quorum_down;
  std::optional<std::string> virtualhost;
  // Checker defaults declared at this level (already applied to every checker).
  Duration connect_timeout = std::chrono::seconds(5);
  std::optional<unsigned> retry;
  std::optional<Duration> delay_before_retry;
  std::optional<Duration> warmup;
  std::vector<RealServer> real_servers;
  Location where;

  // "203.0.113.100:80", "fwmark 7" or "group NAME".
  std::string display_name() const;
};

// The keyword of scheduler flag `bit` (0..2) for `scheduler`: "sh-fallback", "mh-port",
// "flag-3"...
std::string scheduler_flag_name(std::string_view scheduler, unsigned bit);

struct VirtualServerGroupRange {  // ADDR [PORT] or ADDR-LAST [PORT] or ADDR/LEN [PORT]
  IpAddress first;
  IpAddress last;  // == first for a single address
  std::uint16_t port = 0;
  Location where;
};

struct VirtualServerGroupFwmark {
  std::uint32_t fwmark = 0;
  std::optional<AddressFamily> family;
  Location where;
};

struct VirtualServerGroup {
  std::string name;
  std::vector<VirtualServerGroupRange> ranges;
  std::vector<VirtualServerGroupFwmark> fwmarks;
  Location where;
};

struct Config {
  GlobalDefs global;
  // static_ipaddress / static_routes / static_rules: set at start, removed on stop (keepalived).
  std::vector<VirtualAddress> static_ipaddress;
  std::vector<IpRoute> static_routes;
  std::vector<IpRule> static_rules;
  std::vector<VrrpScript> vrrp_scripts;
  std::vector<VrrpTrackFile> vrrp_track_files;  // vrrp_track_file / track_file blocks
  std::vector<VrrpTrackProcess> vrrp_track_processes;  // vrrp_track_process blocks
  std::vector<VrrpSyncGroup> vrrp_sync_groups;
  std::vector<VrrpInstance> vrrp_instances;
  std::vector<VirtualServerGroup> virtual_server_groups;
  std::vector<VirtualServer> virtual_servers;
};

// Names as keepalived.conf spells them ("MASTER", "DR", "TCP", "TCP_CHECK", "PASS").
const char* to_string(VrrpState s);
const char* to_string(AuthType a);
const char* to_string(ForwardingMethod m);
const char* to_string(Protocol p);

}  // namespace lvsctl::director::config
