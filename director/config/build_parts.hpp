#pragma once
// Internal to the config builder: the per-block builders and the drafts they fill. A draft is
// the model element plus what was explicitly configured, so that defaults which depend on
// other blocks (global_defs, the enclosing virtual server) are resolved once everything is read.
#include <optional>
#include <vector>

#include "director/config/build_context.hpp"
#include "director/config/model.hpp"
#include "director/config/route_parse.hpp"

namespace lvsctl::director::config {

struct VrrpInstanceDraft {
  VrrpInstance instance;
  bool priority_set = false;
  bool version_set = false;
  bool garp_delay_set = false;
  bool garp_repeat_set = false;
  bool garp_refresh_set = false;
  bool garp_refresh_repeat_set = false;
  bool garp_lower_prio_delay_set = false;
  bool garp_lower_prio_repeat_set = false;
  Location unicast_fault_no_peer_where;
  RulePriorities* rule_priorities = nullptr;  // the draft's: shared by every rules block
  bool accept_set = false;  // `accept` or `no_accept` given (vrrp_strict's default differs)
  std::optional<bool> strict_mode;  // `strict_mode` given (overrides global vrrp_strict)
  Location strict_mode_where;
};

// Checker settings that a virtual server passes to its real servers and a real server to its
// checkers; unset means "inherit".
struct CheckDefaults {
  std::optional<Duration> connect_timeout;
  std::optional<Duration> delay_before_retry;
  std::optional<Duration> delay_loop;
  std::optional<Duration> warmup;
  std::optional<unsigned> retry;
  std::optional<bool> alpha;
  std::optional<bool> inhibit_on_failure;
  std::optional<std::string> virtualhost;
};

struct CheckerDraft {
  Checker checker;
  CheckDefaults own;
  std::optional<IpAddress> connect_ip;
  std::optional<std::uint16_t> connect_port;
  std::optional<Duration> misc_timeout;
  std::optional<Location> dns_name_where;  // DNS_CHECK `name` given (keepalived: once only)
};

struct RealServerDraft {
  RealServer server;
  bool port_given = false;
  std::optional<ForwardingMethod> method;
  std::optional<int> weight;
  CheckDefaults defaults;
  std::vector<CheckerDraft> checkers;
};

struct VirtualServerDraft {
  VirtualServer server;
  bool scheduler_set = false;
  bool protocol_set = false;
  std::optional<ForwardingMethod> method;
  std::optional<int> weight;  // `weight` at virtual server level: default for its real servers
  CheckDefaults defaults;
  std::vector<RealServerDraft> real_servers;
};

struct ConfigDraft {
  Config config;  // all final as read except vrrp_instances (they need global_defs)
  std::vector<VrrpInstanceDraft> instances;
  bool global_seen = false;
  RulePriorities rule_priorities;  // for rules without a preference, in file order
  // vrrp_script blocks removed for having no `script` (keepalived: "No script set ... - removing").
  std::vector<std::string> removed_scripts;
  // track_script lines read before their vrrp_script was defined: keepalived 2.2.7 resolves the
  // name when it reads the line and ignores it then ("not found, ignoring").
  std::vector<Location> script_refs_before_definition;
};

// Each reads one top-level statement (keyword + block) into the draft.
void build_global_defs(BuildContext& ctx, const conf::Statement& s, GlobalDefs& global);
void build_vrrp_instance(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
void build_vrrp_sync_group(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
void build_vrrp_script(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
// Once instances and sync groups are read (build_vrrp_script.cpp): notes the track_script lines
// of `tracked` whose vrrp_script is not defined yet; then, once the whole file is read, drops the
// lines that name no vrrp_script (a warning each, as keepalived ignores them).
void note_script_references(ConfigDraft& draft, const std::vector<TrackedScript>& tracked);
void resolve_tracked_scripts(BuildContext& ctx, const ConfigDraft& draft, Config& config);
void build_virtual_server(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
void build_virtual_server_group(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
// A checker block (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK) inside a real_server.
void build_checker(BuildContext& ctx, const conf::Statement& s, CheckerKind kind,
                   RealServerDraft& rs);

void build_vrrp_track_file(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
// A FILE_CHECK block's keywords (build_file_check.cpp), and once everything is read its
// track_file names resolved (an unknown name is an error; the track_file's weight and reverse
// are taken unless the FILE_CHECK has its own).
void build_file_check(BuildContext& ctx, const conf::Statement& s, CheckerDraft& c);
void resolve_file_checks(BuildContext& ctx, Config& config);
void build_vrrp_track_process(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
// static_ipaddress, static_routes, static_rules (build_vrrp_static.cpp).
void build_static_ipaddress(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
void build_static_routes(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
void build_static_rules(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft);
// The lines of a routes / rules block (static or virtual).
void read_route_block(BuildContext& ctx, const conf::Statement& s, std::vector<IpRoute>& out);
void read_rule_block(BuildContext& ctx, const conf::Statement& s, RulePriorities& priorities,
                     std::vector<IpRule>& out);
// A virtual_ipaddress-style block: ADDR[/LEN] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL].
void read_address_block(BuildContext& ctx, const conf::Statement& s,
                        std::vector<VirtualAddress>& out);

// Lines shared by vrrp_instance and vrrp_sync_group blocks.
void read_track_interfaces(BuildContext& ctx, const conf::Statement& s,
                           std::vector<TrackedInterface>& out);
void read_track_scripts(BuildContext& ctx, const conf::Statement& s,
                        std::vector<TrackedScript>& out);
// `track_process { NAME [weight W [reverse|noreverse]] }`.
void read_track_processes(BuildContext& ctx, const conf::Statement& s,
                          std::vector<TrackedScript>& out);
void read_track_files(BuildContext& ctx, const conf::Statement& s,
                      std::vector<TrackedScript>& out);
// Once instances and groups are read: each group's tracking copied into its members' lists
// (build_vrrp_sync_group.cpp).
void apply_sync_group_tracking(BuildContext& ctx, Config& config);
// notify_* lines: a second one for the same slot is an error.
void set_notify(BuildContext& ctx, const conf::Statement& s, std::optional<ScriptCommand>& slot);
// `vrrp_instance NAME {`: exactly one name.
bool one_name(BuildContext& ctx, const conf::Statement& s);

// Resolution of defaults once the whole file is read.
VrrpInstance finish_vrrp_instance(BuildContext& ctx, VrrpInstanceDraft&& d,
                                  const GlobalDefs& global);
VirtualServer finish_virtual_server(BuildContext& ctx, VirtualServerDraft&& d);

}  // namespace lvsctl::director::config
