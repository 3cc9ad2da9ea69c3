// global_defs: the few settings lvsctl uses; every other keepalived global is named in a warning.
#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/build_strict.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/listen_endpoint.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

void router_id(BuildContext& ctx, S s, GlobalDefs& g) {
  if (auto v = ctx.string_arg(s)) g.router_id = *v;
}
// The name router_id had before keepalived 1.x; keepalived 2.2.7 no longer knows it.
void lvs_id(BuildContext& ctx, S s, GlobalDefs& g) {
  auto v = ctx.string_arg(s);
  if (!v) return;
  if (g.router_id) {
    ctx.warning(s.keyword.where,
                fmt::format("'lvs_id' is the old name of 'router_id', which is already set; "
                            "ignored (keepalived 2.2.7 ignores 'lvs_id' too)"));
    return;
  }
  ctx.warning(s.keyword.where,
              fmt::format("'lvs_id' is the old name of 'router_id': lvsctl reads it as "
                          "'router_id {}', keepalived 2.2.7 ignores it (its router_id stays the "
                          "host name); write 'router_id {}'",
                          *v, *v));
  g.router_id = *v;
}
void vrrp_version(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 2, 3)) g.vrrp_version = static_cast<int>(*v);
}
void enable_script_security(BuildContext& ctx, S s, GlobalDefs& g) {
  if (ctx.arg_count(s, 0, 0)) g.enable_script_security = true;
}
void script_user(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 2)) return;
  g.script_user = s.args[0].text;
  if (s.args.size() > 1) g.script_group = s.args[1].text;
}
void lvs_flush(BuildContext& ctx, S s, GlobalDefs& g) {
  if (ctx.arg_count(s, 0, 0)) g.lvs_flush = true;
}
void dynamic_interfaces(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 0, 1)) return;
  if (!s.args.empty() && s.args[0].text != "allow_if_changes") {
    ctx.error(s.args[0].where, fmt::format("unknown dynamic_interfaces option '{}' (expected "
                                           "allow_if_changes)",
                                           s.args[0].text));
    return;
  }
  g.dynamic_interfaces = true;
}
void lb_backend(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  const auto& v = s.args[0].text;
  if (v == "auto") {
    g.lb_backend = LbBackend::Auto;
  } else if (v == "ipvs") {
    g.lb_backend = LbBackend::Ipvs;
  } else if (v == "nftables") {
    g.lb_backend = LbBackend::Nftables;
  } else {
    ctx.error(s.args[0].where,
              fmt::format("'lb_backend' value '{}' is not ipvs, nftables or auto", v));
    return;
  }
  g.lb_backend_where = s.keyword.where;
}
// lvsctl's own: how IPv4 TCP_CHECKs probe (director/check/syn_probe.hpp).
void tcp_check_mode(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  const auto& v = s.args[0].text;
  if (v == "connect") {
    g.tcp_check_mode = TcpCheckMode::Connect;
  } else if (v == "syn") {
    g.tcp_check_mode = TcpCheckMode::Syn;
  } else {
    ctx.error(s.args[0].where, fmt::format("'tcp_check_mode' value '{}' is not connect or syn", v));
  }
}
void garp_master_delay(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294)) g.vrrp_garp_master_delay = std::chrono::seconds(*v);
}
void garp_master_repeat(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 1, 4294967295U)) {
    g.vrrp_garp_master_repeat = static_cast<unsigned>(*v);
  }
}
// ---- issue 14, keepalived 2.2.7's syntax and ranges: lvs_timeouts (daemon/ipvs_sync) and the
// vrrp_garp_master_refresh* / vrrp_garp_lower_prio_* defaults (vrrp/state_machine) are acted on;
// the others are read and kept, not acted on -------------------------------------------------

constexpr std::uint64_t kUintMax = 4294967295U;
constexpr std::uint64_t kDelayMax = kUintMax / 1000000;  // keepalived: UINT_MAX / TIMER_HZ
constexpr std::uint64_t kLvsMaxTimeout = 86400ULL * 31;  // keepalived's LVS_MAX_TIMEOUT

void kept(BuildContext& ctx, S s) { warn_kept_not_acted_on(ctx, s, "global_defs"); }

void garp_master_refresh(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, kUintMax)) {
    g.vrrp_garp_master_refresh = std::chrono::seconds(*v);
  }
}
void garp_master_refresh_repeat(BuildContext& ctx, S s, GlobalDefs& g) {
  if (auto v = ctx.repeat_count_arg(s)) g.vrrp_garp_master_refresh_repeat = *v;
}
void garp_lower_prio_delay(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, kDelayMax)) {
    g.vrrp_garp_lower_prio_delay = std::chrono::seconds(*v);
  }
}
void garp_lower_prio_repeat(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 2147483647U)) {
    g.vrrp_garp_lower_prio_repeat = static_cast<unsigned>(*v);
  }
}
// Seconds with up to 6 decimals, at least 1 microsecond.
void interval(BuildContext& ctx, S s, Duration& slot) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::microseconds(1))) slot = *v;
  kept(ctx, s);
}
void garp_interval(BuildContext& ctx, S s, GlobalDefs& g) {
  interval(ctx, s, g.vrrp_garp_interval);
}
void gna_interval(BuildContext& ctx, S s, GlobalDefs& g) { interval(ctx, s, g.vrrp_gna_interval); }
void check_unicast_src(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 0, 0)) return;
  g.vrrp_check_unicast_src = true;
  kept(ctx, s);
}

// lvs_timeouts tcp T | tcpfin T | udp T, in any order, at least one.
void lvs_timeouts(BuildContext& ctx, S s, GlobalDefs& g) {
  if (s.args.size() < 2) {
    ctx.error(s.keyword.where,
              "'lvs_timeouts' needs at least one of: tcp SECONDS, tcpfin "
              "SECONDS, udp SECONDS");
    return;
  }
  LvsTimeouts t = g.lvs_timeouts.value_or(LvsTimeouts{});
  bool ok = true;
  for (std::size_t i = 0; i < s.args.size(); i += 2) {
    auto which = ctx.choice_arg(s, i, {"tcp", "tcpfin", "udp"});
    if (!which) {
      ok = false;
      continue;
    }
    if (i + 1 >= s.args.size()) {
      ctx.error(s.args[i].where,
                fmt::format("'lvs_timeouts {}' needs a value in seconds", s.args[i].text));
      ok = false;
      break;
    }
    auto v = ctx.unsigned_arg(s, i + 1, 0, kLvsMaxTimeout);
    if (!v) {
      ok = false;
      continue;
    }
    (*which == 0 ? t.tcp : *which == 1 ? t.tcpfin : t.udp) = std::chrono::seconds(*v);
  }
  if (ok) g.lvs_timeouts = t;
}

// lvs_sync_daemon IFACE [INSTANCE [SYNCID]] [inst NAME] [id N] [maxlen N] [port N] [ttl N]
// [group ADDR] (the positional SYNCID is keepalived's old form: read with a warning).
void lvs_sync_daemon(BuildContext& ctx, S s, GlobalDefs& g) {
  if (g.lvs_sync_daemon) {
    ctx.warning(s.keyword.where,
                fmt::format("'lvs_sync_daemon' is already set (interface {}); this one is "
                            "ignored, as keepalived 2.2.7 ignores it",
                            g.lvs_sync_daemon->interface));
    return;
  }
  if (s.args.empty()) {
    ctx.error(s.keyword.where,
              "'lvs_sync_daemon' needs an interface: lvs_sync_daemon IFACE "
              "INSTANCE [id N] [maxlen N] [port N] [ttl N] [group ADDR]");
    return;
  }
  if (s.args[0].text.size() >= 16) {
    ctx.error(s.args[0].where, fmt::format("'lvs_sync_daemon' interface name '{}' is longer "
                                           "than 15 characters",
                                           s.args[0].text));
    return;
  }
  LvsSyncDaemon d;
  d.interface = s.args[0].text;
  d.where = s.keyword.where;
  bool ok = true;
  const auto number = [&](std::size_t i, std::uint64_t low, std::uint64_t high,
                          std::optional<unsigned>& slot) {
    if (auto v = ctx.unsigned_arg(s, i, low, high)) {
      slot = static_cast<unsigned>(*v);
    } else {
      ok = false;
    }
  };
  for (std::size_t i = 1; i < s.args.size(); ++i) {
    const std::string& word = s.args[i].text;
    const bool option = word == "inst" || word == "id" || word == "maxlen" || word == "port" ||
                        word == "ttl" || word == "group";
    if (option) {
      if (i + 1 >= s.args.size()) {
        ctx.error(s.args[i].where, fmt::format("'lvs_sync_daemon {}' needs a value", word));
        ok = false;
        break;
      }
      ++i;
      if (word == "inst") {
        d.instance = s.args[i].text;
      } else if (word == "id") {
        number(i, 0, 255, d.sync_id);
      } else if (word == "maxlen") {
        number(i, 1, 65535 - 20 - 8, d.maxlen);
      } else if (word == "port") {
        number(i, 1, 65535, d.port);
      } else if (word == "ttl") {
        number(i, 1, 255, d.ttl);
      } else if (auto a = ctx.address_arg(s, i); !a) {
        ok = false;
      } else if (!a->is_multicast()) {
        ctx.error(s.args[i].where, fmt::format("'lvs_sync_daemon group' value '{}' is not a "
                                               "multicast address",
                                               s.args[i].text));
        ok = false;
      } else {
        d.group = *a;
      }
    } else if (i == 1) {
      d.instance = word;
    } else if (i == 2) {
      ctx.warning(s.args[i].where, fmt::format("write 'id {}': a sync id without 'id' is "
                                               "keepalived's old form",
                                               word));
      number(i, 0, 255, d.sync_id);
    } else {
      ctx.error(s.args[i].where,
                fmt::format("unknown lvs_sync_daemon option '{}' (expected inst, id, maxlen, "
                            "port, ttl or group)",
                            word));
      ok = false;
    }
  }
  if (ok) g.lvs_sync_daemon = std::move(d);
  kept(ctx, s);
}

// vrrp_mcast_group4 / vrrp_mcast_group6: lvsctl sends and hears adverts on the VRRP groups of
// RFC 5798 only. Another group is refused rather than ignored: peers configured for it would not
// hear this director, nor it them, and both would be MASTER.
void mcast_group(BuildContext& ctx, S s, AddressFamily family, const IpAddress& standard) {
  if (!ctx.arg_count(s, 1, 1)) return;
  auto a = ctx.address_arg(s, 0);
  if (!a) return;
  const bool v4 = family == AddressFamily::V4;
  if (a->family() != family || !a->is_multicast()) {
    ctx.error(s.args[0].where, fmt::format("'{}' value '{}' is not an {} multicast address",
                                           s.keyword.text, s.args[0].text, v4 ? "IPv4" : "IPv6"));
    return;
  }
  if (*a != standard) {
    ctx.error(s.args[0].where,
              fmt::format("'{}' {}: lvsctl advertises and listens on {} only (not supported "
                          "yet); peers on {} would not hear this director, nor it them, and "
                          "both would become MASTER",
                          s.keyword.text, a->to_string(), standard.to_string(), a->to_string()));
  }
}
void mcast_group4(BuildContext& ctx, S s, GlobalDefs&) {
  mcast_group(ctx, s, AddressFamily::V4, GlobalDefs{}.vrrp_mcast_group4);
}
void mcast_group6(BuildContext& ctx, S s, GlobalDefs&) {
  static const IpAddress ff02_12 = *IpAddress::parse("ff02::12");
  mcast_group(ctx, s, AddressFamily::V6, ff02_12);
}
// lvsctl: `metrics_listen ADDR:PORT` (Prometheus /metrics; `director run --metrics-listen`
// overrides it) and `control_socket_group NAME` (who may read status; `--control-group`).
void metrics_listen(BuildContext& ctx, S s, GlobalDefs& g) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto endpoint = parse_listen_endpoint(s.args[0].text); !endpoint) {
    ctx.error(s.args[0].where, fmt::format("'metrics_listen' value {}", endpoint.error().message));
    return;
  }
  g.metrics_listen = s.args[0].text;
}
void control_socket_group(BuildContext& ctx, S s, GlobalDefs& g) {
  if (ctx.arg_count(s, 1, 1)) g.control_socket_group = s.args[0].text;
}

// notify_fifo PATH [USER [GROUP]] (the FIFO's owner is not changed: warned).
void fifo_path(BuildContext& ctx, const conf::Statement& s, std::optional<std::string>& slot) {
  if (!ctx.arg_count(s, 1, 3)) return;
  const std::string& path = s.args[0].text;
  if (path.empty() || path[0] != '/') {
    ctx.error(s.args[0].where, fmt::format("'{}' needs an absolute path, got '{}'", s.keyword.text,
                                           path));
    return;
  }
  if (s.args.size() > 1) {
    ctx.warning(s.args[1].where, fmt::format("'{}': the FIFO's owner ({}) is not set by lvsctl; "
                                             "it is created mode 0600 for the daemon's user",
                                             s.keyword.text, s.args[1].text));
  }
  slot = path;
}
void notify_fifo(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  fifo_path(ctx, s, g.notify_fifo);
}
void vrrp_notify_fifo(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  fifo_path(ctx, s, g.vrrp_notify_fifo);
}
void lvs_notify_fifo(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  fifo_path(ctx, s, g.lvs_notify_fifo);
}
void lvs_notify_fifo_script(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  g.lvs_notify_fifo_script = ctx.notify_script(s);
}
void notify_fifo_script(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  g.notify_fifo_script = ctx.notify_script(s);
}
void vrrp_notify_fifo_script(BuildContext& ctx, const conf::Statement& s, GlobalDefs& g) {
  g.vrrp_notify_fifo_script = ctx.notify_script(s);
}

// Keywords keepalived 2.2.7 knows only at the top level: inside global_defs it logs "Unknown
// keyword" and ignores them. lvsctl ignores them there too, and says where they belong.
void top_level_only(BuildContext& ctx, const conf::Statement& s, GlobalDefs&) {
  const std::string& kw = s.keyword.text;
  ctx.warning(s.keyword.where,
              fmt::format("'{}' inside global_defs is ignored, as keepalived 2.2.7 ignores it "
                          "there (\"Unknown keyword '{}'\"): it is a top-level keyword; move it "
                          "out of global_defs{}",
                          kw, kw,
                          kw == "net_namespace" ? " (as written, the daemon runs in the current "
                                                  "network namespace)"
                                                : ""));
}

constexpr Keyword<GlobalDefs> kGlobalKeywords[] = {
    {"notify_fifo", notify_fifo},
    {"notify_fifo_script", notify_fifo_script},
    {"vrrp_notify_fifo", vrrp_notify_fifo},
    {"vrrp_notify_fifo_script", vrrp_notify_fifo_script},
    {"lvs_notify_fifo", lvs_notify_fifo},
    {"lvs_notify_fifo_script", lvs_notify_fifo_script},
    {"router_id", router_id},
    {"lvs_id", lvs_id},
    {"vrrp_version", vrrp_version},
    {"vrrp_strict", read_vrrp_strict},
    {"enable_script_security", enable_script_security},
    {"script_user", script_user},
    {"lvs_flush", lvs_flush},
    {"dynamic_interfaces", dynamic_interfaces},
    {"lb_backend", lb_backend},
    {"tcp_check_mode", tcp_check_mode},
    {"vrrp_garp_master_delay", garp_master_delay},
    {"vrrp_garp_master_repeat", garp_master_repeat},
    {"vrrp_mcast_group4", mcast_group4},
    {"vrrp_mcast_group6", mcast_group6},
    {"vrrp_garp_master_refresh", garp_master_refresh},
    {"vrrp_garp_master_refresh_repeat", garp_master_refresh_repeat},
    {"vrrp_garp_lower_prio_delay", garp_lower_prio_delay},
    {"vrrp_garp_lower_prio_repeat", garp_lower_prio_repeat},
    {"vrrp_garp_interval", garp_interval},
    {"vrrp_gna_interval", gna_interval},
    {"vrrp_check_unicast_src", check_unicast_src},
    {"lvs_timeouts", lvs_timeouts},
    {"lvs_sync_daemon", lvs_sync_daemon},
    {"metrics_listen", metrics_listen},
    {"control_socket_group", control_socket_group},
    {"net_namespace", top_level_only, BlockUse::Optional},
    {"net_namespace_ipvs", top_level_only, BlockUse::Optional},
    {"namespace_with_ipsets", top_level_only, BlockUse::Optional},
    {"use_pid_dir", top_level_only, BlockUse::Optional},
    {"instance", top_level_only, BlockUse::Optional},
    {"child_wait_time", top_level_only, BlockUse::Optional},
    {"linkbeat_use_polling", top_level_only, BlockUse::Optional},
};

// Globals keepalived 2.2.7 knows that lvsctl does not act on.
constexpr std::string_view kGlobalUnsupported[] = {
    "process_names",
    "process_name",
    "vrrp_process_name",
    "checker_process_name",
    "lvs_process_name",
    "bfd_process_name",
    "notification_email_from",
    "smtp_server",
    "smtp_helo_name",
    "smtp_connect_timeout",
    "notification_email",
    "smtp_alert",
    "startup_script",
    "startup_script_timeout",
    "shutdown_script",
    "shutdown_script_timeout",
    "max_auto_priority",
    "min_auto_priority_delay",
    "smtp_alert_vrrp",
    "smtp_alert_checker",
    "checker_log_all_failures",
    "no_email_faults",
    "default_interface",
    "disable_local_igmp",
    "lvs_flush_on_stop",
    "lvs_flush_onstop",
    "vrrp_down_timer_adverts",
    "vrrp_min_garp",
    "vrrp_garp_extra_if",
    "vrrp_vmac_garp_intvl",
    "vrrp_lower_prio_no_advert",
    "vrrp_higher_prio_send_advert",
    "vrrp_iptables",
    "vrrp_ipsets",
    "nftables",
    "nftables_priority",
    "nftables_ifindex",
    "nftables_ipvs",
    "nftables_ipvs_priority",
    "nftables_ipvs_start_fwmark",
    "nftables_counters",
    "vrrp_skip_check_adv_addr",
    "vrrp_priority",
    "vrrp_no_swap",
    "vrrp_rt_priority",
    "vrrp_cpu_affinity",
    "vrrp_rlimit_rttime",
    "vrrp_rlimit_rtime",
    "vrrp_notify_priority_changes",
    "fifo_write_vrrp_states_on_reload",
    "checker_priority",
    "checker_no_swap",
    "checker_rt_priority",
    "checker_cpu_affinity",
    "checker_rlimit_rttime",
    "checker_rlimit_rtime",
    "bfd_priority",
    "bfd_no_swap",
    "bfd_rt_priority",
    "bfd_cpu_affinity",
    "bfd_rlimit_rttime",
    "bfd_rlimit_rtime",
    "snmp_socket",
    "enable_traps",
    "enable_snmp_vrrp",
    "enable_snmp_keepalived",
    "enable_snmp_rfc",
    "enable_snmp_rfcv2",
    "enable_snmp_rfcv3",
    "enable_snmp_checker",
    "enable_dbus",
    "dbus_service_name",
    "vrrp_netlink_cmd_rcv_bufs",
    "vrrp_netlink_cmd_rcv_bufs_force",
    "vrrp_netlink_monitor_rcv_bufs",
    "vrrp_netlink_monitor_rcv_bufs_force",
    "process_monitor_rcv_bufs",
    "process_monitor_rcv_bufs_force",
    "lvs_netlink_cmd_rcv_bufs",
    "lvs_netlink_cmd_rcv_bufs_force",
    "lvs_netlink_monitor_rcv_bufs",
    "lvs_netlink_monitor_rcv_bufs_force",
    "rs_init_notifies",
    "no_checker_emails",
    "vrrp_rx_bufs_policy",
    "vrrp_rx_bufs_multiplier",
    "vrrp_startup_delay",
    "log_unknown_vrids",
    "vmac_prefix",
    "vmac_addr_prefix",
    "umask",
    "random_seed",
    "reload_check_config",
    "reload_time_file",
    "reload_repeat",
    "reload_file",
    "include_check",
    "config_save_dir",
    "tmp_config_directory",
    "data_use_instance",
};

}  // namespace

void build_global_defs(BuildContext& ctx, const conf::Statement& s, GlobalDefs& global) {
  global.where = s.keyword.where;
  if (!s.args.empty()) {
    ctx.error(s.args[0].where,
              fmt::format("'global_defs' takes no name, got '{}'", s.args[0].text));
  }
  static constexpr BlockRules rules{"global_defs", kGlobalUnsupported, true};
  apply_keywords<GlobalDefs>(ctx, s.block, kGlobalKeywords, rules, global);
}

}  // namespace lvsctl::director::config
