#include "director/config/keyword_table.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace lvsctl::director::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions, adjacent transpositions.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

namespace {

// The candidate with the fewest edits from `word` (the first of equals), and that distance.
std::pair<std::string_view, std::size_t> closest(std::string_view word,
                                                 const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 0;
  for (auto c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return {best, best_distance};
}

}  // namespace

std::string_view nearest_keyword(std::string_view word,
                                 const std::vector<std::string_view>& candidates) {
  const auto [best, best_distance] = closest(word, candidates);
  // Close enough: at most a third of the word's length, and never more than 3 edits.
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  if (best.empty() || best_distance > limit) return {};
  return best;
}

std::string_view nearest_block_keyword(std::string_view word,
                                       const std::vector<std::string_view>& candidates) {
  const auto [best, best_distance] = closest(word, candidates);
  // Up to a third of the longer name, at most 4 edits, and the words share their last 4
  // characters (`bal_defs` / `global_defs`, `vrrp_instanc` / `vrrp_instance`).
  const std::size_t longer = std::max(word.size(), best.size());
  const std::size_t limit = std::min<std::size_t>(4, longer / 3);
  if (best.empty() || best_distance > limit || word.size() < 4 || best.size() < 4) return {};
  if (word.substr(word.size() - 4) != best.substr(best.size() - 4) &&
      word.substr(0, 4) != best.substr(0, 4)) {
    return {};
  }
  return best;
}

// Keywords keepalived 2.2.7 knows that lvsctl does not implement, but whose absence changes
// neither what is forwarded nor who holds a VIP: read, ignored and named in a warning saying what
// is lost. Every other unsupported keyword is an error (see report_unhandled).
constexpr IgnoredKeyword kIgnored[] = {
    // alerting and monitoring
    {"smtp_alert", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"snmp_name", "lvsctl has no SNMP agent"},
    {"notify_priority_changes", "notify scripts are not told of priority changes"},
    {"notify_deleted", "notify scripts are not told when an instance is deleted by a reload"},
    {"notify_master_rx_lower_pri", "no script runs when a master hears a lower priority advert"},
    {"log_all_failures", "every failure is logged the same way"},
    {"debug", "per-instance debug level"},
    // timing and repetition of gratuitous ARP/NA: who holds the VIP is unchanged
    {"garp_extra_if", "no gratuitous ARP/NA on other interfaces"},
    {"vmac_garp_intvl", "no per-VMAC gratuitous ARP interval"},
    {"garp_group", "no interface-wide gratuitous ARP intervals"},
    // advert exchange details that leave the elected master unchanged
    {"lower_prio_no_advert",
     "a master answers a lower priority advert with its own (keepalived's default)"},
    {"higher_prio_send_advert",
     "a master that hears a higher priority advert does not send one more before it steps down"},
    {"check_unicast_src",
     "adverts are not checked against the unicast_peer list (only a foreign sender could tell)"},
    {"skip_check_adv_addr", "adverts' address lists are not compared with ours"},
    {"kernel_rx_buf_size", "the kernel's default receive buffer is used"},
    {"linkbeat_use_polling", "link state comes from rtnetlink events"},
    {"linkbeat_interfaces", "link state comes from rtnetlink events"},
    // connection synchronisation between directors (its own issue)
    {"lvs_sync_daemon_interface",
     "lvsctl does not run the IPVS connection sync daemon (connections are not synchronised)"},
    // health checks: no effect on results
    {"ha_suspend", "checks also run while this director holds no VIP"},
    // global_defs keywords real files carry (issue 14); global_defs keywords are never errors
    {"lvs_sync_daemon", "lvsctl does not run the IPVS connection sync daemon"},
    {"vrrp_garp_interval", "gratuitous ARPs on one interface are not spaced out"},
    {"vrrp_gna_interval",
     "unsolicited neighbour advertisements on one interface are not spaced out"},
    {"vrrp_check_unicast_src",
     "adverts are not checked against the unicast_peer list (only a foreign sender could tell)"},
    {"vrrp_higher_prio_send_advert",
     "a master that hears a higher priority advert does not send one more before it steps down"},
    {"vrrp_lower_prio_no_advert",
     "a master answers a lower priority advert with its own (keepalived's default)"},
    {"vrrp_skip_check_adv_addr", "adverts' address lists are not compared with ours"},
    // process management
    {"bfd_instance", "BFD is not implemented (track_bfd is refused)"},
    {"namespace_with_ipsets", "no network namespaces"},
    {"use_pid_dir", "lvsctl has its own pid file"},
    {"instance", "lvsctl has its own pid file"},
    {"child_wait_time", "lvsctl runs one process"},
    // process management
    {"tmp_config_directory", "the configuration is read from its files; no copy of it is made"},
    {"config_save_dir", "configurations are not saved at reloads"},
    {"process_names", "lvsctl runs one process, named lvsctl"},
    {"process_name", "lvsctl runs one process, named lvsctl"},
    {"vrrp_process_name", "lvsctl runs one process, named lvsctl"},
    {"checker_process_name", "lvsctl runs one process, named lvsctl"},
    {"bfd_process_name", "lvsctl runs one process, named lvsctl"},
    {"lvs_process_name", "lvsctl runs one process, named lvsctl"},
    {"startup_script", "no script runs at start-up or shutdown (run it from the service manager)"},
    {"startup_script_timeout",
     "no script runs at start-up or shutdown (run it from the service manager)"},
    {"shutdown_script", "no script runs at start-up or shutdown (run it from the service manager)"},
    {"shutdown_script_timeout",
     "no script runs at start-up or shutdown (run it from the service manager)"},
    {"max_auto_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"min_auto_priority_delay", "lvsctl runs at the scheduling priority it is started with"},
    {"vrrp_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"checker_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"bfd_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"vrrp_rt_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"checker_rt_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"bfd_rt_priority", "lvsctl runs at the scheduling priority it is started with"},
    {"vrrp_no_swap", "lvsctl's memory is not locked"},
    {"checker_no_swap", "lvsctl's memory is not locked"},
    {"bfd_no_swap", "lvsctl's memory is not locked"},
    {"vrrp_cpu_affinity", "lvsctl runs on the CPUs it is started on"},
    {"checker_cpu_affinity", "lvsctl runs on the CPUs it is started on"},
    {"bfd_cpu_affinity", "lvsctl runs on the CPUs it is started on"},
    {"vrrp_rlimit_rttime", "no real-time CPU time limit is set"},
    {"checker_rlimit_rttime", "no real-time CPU time limit is set"},
    {"bfd_rlimit_rttime", "no real-time CPU time limit is set"},
    {"vrrp_rlimit_rtime", "no real-time CPU time limit is set"},
    {"checker_rlimit_rtime", "no real-time CPU time limit is set"},
    {"bfd_rlimit_rtime", "no real-time CPU time limit is set"},
    {"umask", "files are created with lvsctl's own modes"},
    {"random_seed", "random numbers are not seeded from the configuration"},
    {"reload_check_config", "no separate checking process at a reload"},
    {"reload_time_file", "no scheduled reloads (send SIGHUP or use `lvsctl director reload`)"},
    {"reload_repeat", "no scheduled reloads (send SIGHUP or use `lvsctl director reload`)"},
    {"reload_file", "no scheduled reloads (send SIGHUP or use `lvsctl director reload`)"},
    {"include_check", "include lines are read without keepalived's include_check checks"},
    {"data_use_instance", "dump file names do not carry an instance name"},
    // alerting and monitoring (global_defs)
    {"notification_email", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"notification_email_from", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"smtp_server", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"smtp_helo_name", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"smtp_connect_timeout", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"smtp_alert_vrrp", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"smtp_alert_checker", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"no_email_faults", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"no_checker_emails", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"checker_log_all_failures", "every check failure is logged the same way"},
    {"vrrp_notify_priority_changes", "notify scripts are not told of priority changes"},
    {"snmp_socket", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_vrrp", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_checker", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_rfc", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_rfcv2", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_rfcv3", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_traps", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_snmp_keepalived", "lvsctl has no SNMP agent (metrics: docs/metrics.md)"},
    {"enable_dbus", "lvsctl has no D-Bus interface (control socket: docs/control-socket.md)"},
    {"dbus_service_name", "lvsctl has no D-Bus interface (control socket: docs/control-socket.md)"},
    {"fifo_write_vrrp_states_on_reload",
     "a reload writes no state lines for unchanged instances to the notify FIFO"},
    {"rs_init_notifies", "no notify scripts run for real servers' initial states"},
    {"log_unknown_vrids", "adverts for VRIDs this director does not run are not logged"},
    // buffers and timing (global_defs)
    {"vrrp_netlink_cmd_rcv_bufs", "the kernel's default netlink receive buffer is used"},
    {"vrrp_netlink_cmd_rcv_bufs_force", "the kernel's default netlink receive buffer is used"},
    {"vrrp_netlink_monitor_rcv_bufs", "the kernel's default netlink receive buffer is used"},
    {"vrrp_netlink_monitor_rcv_bufs_force", "the kernel's default netlink receive buffer is used"},
    {"lvs_netlink_cmd_rcv_bufs", "the kernel's default netlink receive buffer is used"},
    {"lvs_netlink_cmd_rcv_bufs_force", "the kernel's default netlink receive buffer is used"},
    {"lvs_netlink_monitor_rcv_bufs", "the kernel's default netlink receive buffer is used"},
    {"lvs_netlink_monitor_rcv_bufs_force", "the kernel's default netlink receive buffer is used"},
    {"process_monitor_rcv_bufs", "the kernel's default netlink receive buffer is used"},
    {"process_monitor_rcv_bufs_force", "the kernel's default netlink receive buffer is used"},
    {"vrrp_rx_bufs_policy", "the kernel's default advert receive buffer is used"},
    {"vrrp_rx_bufs_multiplier", "the kernel's default advert receive buffer is used"},
    {"vrrp_startup_delay", "VRRP starts at once"},
    {"vrrp_min_garp",
     "gratuitous ARP/NA counts and delays stay as configured (its shortcut is not applied)"},
    {"vrrp_garp_extra_if", "no gratuitous ARP/NA on other interfaces"},
    {"vrrp_vmac_garp_intvl", "no per-VMAC gratuitous ARP interval"},
    {"disable_local_igmp", "the kernel's IGMP reports are left as they are"},
    // defaults lvsctl keeps at keepalived's (global_defs): a file changing them behaves otherwise
    {"default_interface", "static addresses without `dev` go on eth0 (keepalived's default)"},
    {"vrrp_down_timer_adverts", "backups take over after 3 missed adverts (keepalived's default)"},
    {"vmac_prefix", "VMACs are named vrrp.VRID, MAC 00:00:5e:00:01:VRID (keepalived's defaults)"},
    {"vmac_addr_prefix",
     "VMACs are named vrrp.VRID, MAC 00:00:5e:00:01:VRID (keepalived's defaults)"},
    {"lvs_flush_on_stop", "the IPVS table is not flushed at stop"},
    {"lvs_flush_onstop", "the IPVS table is not flushed at stop"},
    // firewalling (global_defs)
    {"nftables",
     "vrrp_strict's VIP filter is lvsctl's own nftables table (lvsctl_vrrp), not set by these"},
    {"nftables_priority",
     "vrrp_strict's VIP filter is lvsctl's own nftables table (lvsctl_vrrp), not set by these"},
    {"nftables_counters",
     "vrrp_strict's VIP filter is lvsctl's own nftables table (lvsctl_vrrp), not set by these"},
    {"nftables_ifindex",
     "vrrp_strict's VIP filter is lvsctl's own nftables table (lvsctl_vrrp), not set by these"},
    {"nftables_ipvs", "no nftables rules for IPVS services on VIPs"},
    {"nftables_ipvs_priority", "no nftables rules for IPVS services on VIPs"},
    {"nftables_ipvs_start_fwmark", "no nftables rules for IPVS services on VIPs"},
    {"vrrp_iptables", "vrrp_strict's VIP filter uses nftables, not iptables/ipsets"},
    {"vrrp_ipsets", "vrrp_strict's VIP filter uses nftables, not iptables/ipsets"},
};

std::string_view ignored_reason(std::string_view keyword) {
  for (const auto& k : kIgnored) {
    if (k.name == keyword) return k.why;
  }
  return {};
}

std::span<const IgnoredKeyword> ignored_keywords() { return kIgnored; }

namespace {
KeywordCatalogue* g_catalogue = nullptr;
}  // namespace

KeywordCatalogue::KeywordCatalogue() { g_catalogue = this; }
KeywordCatalogue::~KeywordCatalogue() { g_catalogue = nullptr; }
KeywordCatalogue* KeywordCatalogue::active() { return g_catalogue; }

void KeywordCatalogue::record(const BlockRules& rules,
                              const std::vector<std::string_view>& handled) {
  BlockKeywords& b = blocks_[std::string(rules.block)];
  for (auto k : handled) {
    if (std::find(b.handled.begin(), b.handled.end(), k) == b.handled.end()) {
      b.handled.emplace_back(k);
    }
  }
  for (auto k : rules.unsupported) {
    if (std::find(b.unsupported.begin(), b.unsupported.end(), k) == b.unsupported.end()) {
      b.unsupported.emplace_back(k);
    }
  }
  b.unsupported_is_warning = rules.unsupported_is_warning;
}

void warn_kept_not_acted_on(BuildContext& ctx, const conf::Statement& s, std::string_view block) {
  const std::string& kw = s.keyword.text;
  ctx.warning(s.keyword.where, fmt::format("'{}' in {} is ignored: {} (its value is read, checked "
                                           "and kept, not acted on)",
                                           kw, block, ignored_reason(kw)));
}

void report_unhandled(BuildContext& ctx, const conf::Statement& s, const BlockRules& rules,
                      const std::vector<std::string_view>& known) {
  const std::string& kw = s.keyword.text;
  if (std::find(rules.unsupported.begin(), rules.unsupported.end(), kw) !=
      rules.unsupported.end()) {
    if (const std::string_view why = ignored_reason(kw); !why.empty()) {
      ctx.warning(s.keyword.where, fmt::format("'{}' in {} is ignored: {}", kw, rules.block, why));
    } else if (rules.unsupported_is_warning) {
      ctx.warning(
          s.keyword.where,
          fmt::format("'{}' in {} is not supported by lvsctl yet and is ignored", kw, rules.block));
    } else {
      ctx.error(s.keyword.where,
                fmt::format("not supported yet: {} (in {}); ignoring it would change what is "
                            "forwarded or who holds a VIP",
                            kw, rules.block));
    }
    return;
  }
  std::vector<std::string_view> candidates = known;
  candidates.insert(candidates.end(), rules.unsupported.begin(), rules.unsupported.end());
  std::string_view hint = nearest_keyword(kw, candidates);
  // A block keyword may be missing a whole word part (`bal_defs`): allow more edits for it.
  if (hint.empty() && s.has_block) hint = nearest_block_keyword(kw, candidates);
  if (!hint.empty()) {
    ctx.error(s.keyword.where,
              fmt::format("unknown keyword '{}' in {}; did you mean '{}'?", kw, rules.block, hint));
  } else {
    ctx.error(s.keyword.where, fmt::format("unknown keyword '{}' in {}", kw, rules.block));
  }
}

bool check_block_use(BuildContext& ctx, const conf::Statement& s, BlockUse use) {
  if (use == BlockUse::Required && !s.has_block) {
    ctx.error(s.keyword.where, fmt::format("'{}' needs a {{ ... }} block", s.keyword.text));
    return false;
  }
  if (use == BlockUse::None && s.has_block) {
    ctx.error(s.keyword.where, fmt::format("'{}' does not take a {{ ... }} block", s.keyword.text));
    return false;
  }
  return true;
}

void report_keepalived_ignores_nb_get_retry(BuildContext& ctx, const conf::Statement& s,
                                            std::string_view block) {
  // Real files repeat it in every checker: the fact is said once per file.
  if (!ctx.first_in_file(fmt::format("nb_get_retry in {}", block), s.keyword.where)) return;
  const std::string value = s.args.empty() ? std::string("N") : s.args[0].text;
  ctx.warning(s.keyword.where,
              fmt::format("keepalived 2.2.7 does not know 'nb_get_retry' in {} and ignores it "
                          "(retry stays at its default there); lvsctl applies it as 'retry {}'. "
                          "Write 'retry {}' so that both agree (said once per file)",
                          block, value, value));
}

void report_deprecated(BuildContext& ctx, const conf::Statement& s, std::string_view replaced_by) {
  const std::string& kw = s.keyword.text;
  if (kw == "lb_algo" || kw == "lb_kind") {
    // In nearly every real file and silent in keepalived 2.2.7: one line per file at most, so
    // that the warnings that matter are not buried.
    if (ctx.first_in_file("lb_algo/lb_kind", s.keyword.where)) {
      ctx.warning(s.keyword.where,
                  "'lb_algo'/'lb_kind' are the old names of 'lvs_sched'/'lvs_method' (accepted "
                  "silently by keepalived 2.2.7 and by lvsctl; said once per file)");
    }
    return;
  }
  ctx.warning(s.keyword.where, fmt::format("'{}' is deprecated; use '{}'", kw, replaced_by));
}

}  // namespace lvsctl::director::config
