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
//   checkers: retry 1 (MISC_CHECK 0), delay_before_retry 1 s (HTTP_GET/SSL_GET 3 s),
//   connect_ip/port = the real server's, url status_code 200-299, misc_timeout = delay_loop.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "director/config/ip_prefix.hpp"
#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

using conf::Location;
// Timers in keepalived.conf are seconds with fractions, resolution one microsecond.
using Duration = std::chrono::microseconds;

// A program keepalived runs (notify_*, quorum_up/down, misc_path, vrrp_script `script`):
// the command as written (a quoted string may carry arguments) and an optional user/group.
struct ScriptCommand {
  std::string command;
  std::optional<std::string> user;
  std::optional<std::string> group;
  Location where;
};

// Which datapath forwards the virtual servers (global_defs lb_backend; `director run
// --lb-backend` overrides it). Auto: IPVS when the kernel has it, else nftables.
enum class LbBackend : std::uint8_t { Auto, Ipvs, Nftables };

struct GlobalDefs {
  std::optional<std::string> router_id;
  int vrrp_version = 2;
  bool enable_script_security = false;
  std::optional<std::string> script_user;
  std::optional<std::string> script_group;
  bool lvs_flush = false;
  LbBackend lb_backend = LbBackend::Auto;
  Location lb_backend_where;  // of `lb_backend`, if present
  Duration vrrp_garp_master_delay = std::chrono::seconds(5);
  unsigned vrrp_garp_master_repeat = 5;
  IpAddress vrrp_mcast_group4 = IpAddress::v4(0xe0000012);  // 224.0.0.18
  std::optional<Location> vrrp_strict;  // where `vrrp_strict` is, if present (build_strict.hpp)
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
  int vrid = 0;           // 1..255; 0 only when missing (an error)
  int priority = 100;     // 1..255
  Duration advert_int = std::chrono::seconds(1);
  int version = 2;  // 2 or 3
  AuthType auth_type = AuthType::None;
  std::string auth_pass;  // at most 8 characters are used on the wire
  std::vector<VirtualAddress> virtual_ipaddress;
  std::vector<VirtualAddress> virtual_ipaddress_excluded;
  bool nopreempt = false;
  Duration preempt_delay{0};
  // unicast_src_ip (mcast_src_ip sets the same source address).
  std::optional<IpAddress> unicast_src_ip;
  std::vector<UnicastPeer> unicast_peers;
  std::vector<TrackedInterface> track_interfaces;
  std::vector<TrackedScript> track_scripts;
  NotifyScripts notify;
  Duration garp_master_delay = std::chrono::seconds(5);
  unsigned garp_master_repeat = 5;
  bool accept = true;  // accept (default) / no_accept
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
  std::vector<TrackedInterface> track_interfaces;
  std::vector<TrackedScript> track_scripts;
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

struct StatusCodeRange {
  int low = 200;
  int high = 299;
};

struct UrlCheck {
  std::string path;
  std::optional<std::string> digest;          // MD5 of the body, lowercase hex
  std::vector<StatusCodeRange> status_codes;  // empty in the file means 200-299 (filled in)
  std::optional<std::string> virtualhost;     // resolved: url, checker, real, virtual server
  Location where;
};

struct TcpCheck {};

struct HttpCheck {  // HTTP_GET and SSL_GET
  bool tls = false;
  std::vector<UrlCheck> urls;
  std::optional<std::string> virtualhost;
  std::string http_protocol = "1.0";  // 1.0 | 1.0C | 1.1
  bool enable_sni = false;
};

struct MiscCheck {
  ScriptCommand path;   // misc_path (+ `user`)
  Duration timeout{0};  // resolved: misc_timeout or delay_loop
  bool dynamic = false;
};

enum class CheckerKind : std::uint8_t { Tcp, HttpGet, SslGet, Misc };

// A health checker of one real server, with every inherited value resolved.
struct Checker {
  CheckerKind kind = CheckerKind::Tcp;
  // Connection (unused by MISC_CHECK).
  IpAddress connect_ip;
  std::uint16_t connect_port = 0;
  std::optional<IpAddress> bindto;
  Duration connect_timeout = std::chrono::seconds(5);
  // Scheduling.
  unsigned retry = 1;
  Duration delay_before_retry = std::chrono::seconds(1);
  Duration delay_loop = std::chrono::seconds(60);
  Duration warmup = std::chrono::seconds(60);
  bool alpha = false;
  std::variant<TcpCheck, HttpCheck, MiscCheck> spec;
  Location where;
};

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
  std::vector<VrrpScript> vrrp_scripts;
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
const char* to_string(CheckerKind k);

}  // namespace lvsctl::director::config
