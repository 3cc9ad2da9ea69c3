// vrrp_instance blocks, and the track/notify lines sync groups share with them.
#include <algorithm>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/build_strict.hpp"
#include "director/config/build_vmac.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

// ---- lines inside value blocks ---------------------------------------------------------------

// ADDR[/LEN] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL]
std::optional<VirtualAddress> read_virtual_address(BuildContext& ctx, S s) {
  if (s.has_block) {
    ctx.error(s.keyword.where,
              fmt::format("address '{}' does not take a {{ ... }} block", s.keyword.text));
    return std::nullopt;
  }
  auto prefix = IpPrefix::parse(s.keyword.text);
  if (!prefix) {
    ctx.error(s.keyword.where,
              fmt::format("'{}' is not an IP address or ADDRESS/PREFIX", s.keyword.text));
    return std::nullopt;
  }
  if (prefix->address.is_v4_mapped()) {
    const auto b = prefix->address.bytes();
    ctx.error(s.keyword.where,
              fmt::format("'{}' is an IPv4-mapped IPv6 address, never a VIP: write it as IPv4 "
                          "({}.{}.{}.{})",
                          s.keyword.text, b[12], b[13], b[14], b[15]));
    return std::nullopt;
  }
  VirtualAddress va;
  va.prefix = *prefix;
  va.where = s.keyword.where;
  bool ok = true;
  for (std::size_t i = 0; i < s.args.size(); ++i) {
    const conf::Word& opt = s.args[i];
    static constexpr std::string_view kValued[] = {"brd", "dev", "scope", "label"};
    static constexpr std::string_view kUnsupported[] = {
        "peer",     "home",     "-nodad",        "nodad",    "mngtmpaddr", "noprefixroute",
        "autojoin", "no_track", "preferred_lft", "use_vmac", "track_group"};
    bool valued = false;
    for (auto v : kValued) valued = valued || opt.text == v;
    if (!valued) {
      bool known = false;
      for (auto u : kUnsupported) known = known || opt.text == u;
      ctx.error(opt.where,
                known ? fmt::format("not supported yet: virtual address option '{}'", opt.text)
                      : fmt::format("unknown virtual address option '{}' (expected "
                                    "brd, dev, scope or label)",
                                    opt.text));
      ok = false;
      break;
    }
    if (i + 1 >= s.args.size()) {
      ctx.error(opt.where, fmt::format("virtual address option '{}' needs a value", opt.text));
      ok = false;
      break;
    }
    const conf::Word& value = s.args[++i];
    if (opt.text == "brd") {
      auto a = IpAddress::parse(value.text);
      if (!a || a->family() != va.prefix.address.family()) {
        ctx.error(value.where,
                  fmt::format("brd '{}' is not an address of the VIP's family", value.text));
        ok = false;
      } else {
        va.broadcast = *a;
      }
    } else if (opt.text == "dev") {
      va.dev = value.text;
    } else if (opt.text == "label") {
      va.label = value.text;
    } else {  // scope
      static constexpr std::string_view kScopes[] = {"global", "site", "link", "host", "nowhere"};
      bool valid = false;
      for (auto sc : kScopes) valid = valid || value.text == sc;
      if (!valid) {
        ctx.error(value.where, fmt::format("scope '{}' is not one of global|site|link|host|nowhere",
                                           value.text));
        ok = false;
      } else {
        va.scope = value.text;
      }
    }
  }
  if (!ok) return std::nullopt;
  return va;
}

// NAME [weight N] [reverse|noreverse|no_reverse]
template <typename Tracked>
std::optional<Tracked> read_tracked(BuildContext& ctx, S s, std::int64_t min_weight,
                                    std::int64_t max_weight) {
  Tracked t;
  t.name = s.keyword.text;
  t.where = s.keyword.where;
  for (std::size_t i = 0; i < s.args.size(); ++i) {
    const conf::Word& w = s.args[i];
    if (w.text == "weight") {
      if (i + 1 >= s.args.size()) {
        ctx.error(w.where, fmt::format("'{} weight' needs a value", t.name));
        return std::nullopt;
      }
      const conf::Word& v = s.args[++i];
      auto n = parse_signed(v.text);
      if (!n || *n < min_weight || *n > max_weight) {
        ctx.error(v.where, fmt::format("weight '{}' of '{}' is not in {}..{}", v.text, t.name,
                                       min_weight, max_weight));
        return std::nullopt;
      }
      t.weight = static_cast<int>(*n);
    } else if (w.text == "reverse") {
      t.reverse = true;
    } else if (w.text == "noreverse" || w.text == "no_reverse") {
      t.reverse = false;
    } else {
      ctx.error(w.where, fmt::format("unexpected '{}' after '{}' (expected weight N or reverse)",
                                     w.text, t.name));
      return std::nullopt;
    }
  }
  return t;
}

// ---- vrrp_instance -------------------------------------------------------------------------

using D = VrrpInstanceDraft;

void state(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto i = ctx.choice_arg(s, 0, {"MASTER", "BACKUP"})) {
    d.instance.state = *i == 0 ? VrrpState::Master : VrrpState::Backup;
    d.instance.state_configured = true;
  }
}
void interface(BuildContext& ctx, S s, D& d) {
  if (auto v = ctx.string_arg(s)) {
    if (v->size() >= 16) {
      ctx.error(s.args[0].where,
                fmt::format("interface name '{}' is longer than 15 characters", *v));
      return;
    }
    d.instance.interface = *v;
    d.instance.interface_where = s.args[0].where;
  }
}
void vrid(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 1, 255)) d.instance.vrid = static_cast<int>(*v);
}
void priority(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 1, 255)) {
    d.instance.priority = static_cast<int>(*v);
    d.priority_set = true;
  }
}
void advert_int(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::milliseconds(10))) {
    if (*v > std::chrono::seconds(255)) {
      ctx.error(s.args[0].where,
                fmt::format("'advert_int' value {} is out of range 0.01-255", s.args[0].text));
      return;
    }
    d.instance.advert_int = *v;
  }
}
void version(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 2, 3)) {
    d.instance.version = static_cast<int>(*v);
    d.version_set = true;
  }
}
void auth_type(BuildContext& ctx, S s, VrrpInstance& vi) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto i = ctx.choice_arg(s, 0, {"PASS", "AH"})) {
    vi.auth_type = *i == 0 ? AuthType::Pass : AuthType::Ah;
  }
}
void auth_pass(BuildContext& ctx, S s, VrrpInstance& vi) {
  if (!ctx.arg_count(s, 1, 1)) return;
  vi.auth_pass = s.args[0].text;
  if (vi.auth_pass.size() > 8) {
    // The password itself is never shown, not even its first 8 characters.
    ctx.warning(s.args[0].where,
                "'auth_pass' is longer than 8 characters: it is truncated to its first 8, as "
                "keepalived does; shorten it in the file (neither it nor its length is shown)");
    vi.auth_pass.resize(8);
  }
}
constexpr Keyword<VrrpInstance> kAuthKeywords[] = {{"auth_type", auth_type},
                                                   {"auth_pass", auth_pass}};
void authentication(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  static constexpr BlockRules rules{"authentication", {}, false};
  apply_keywords<VrrpInstance>(ctx, s.block, kAuthKeywords, rules, d.instance);
  if (d.instance.auth_type != AuthType::None && d.instance.auth_pass.empty()) {
    ctx.error(s.keyword.where, "'authentication' has auth_type but no auth_pass");
  }
}
void vips(BuildContext& ctx, S s, D& d) {
  read_address_block(ctx, s, d.instance.virtual_ipaddress);
}
void evips(BuildContext& ctx, S s, D& d) {
  read_address_block(ctx, s, d.instance.virtual_ipaddress_excluded);
}
void vroutes(BuildContext& ctx, S s, D& d) { read_route_block(ctx, s, d.instance.virtual_routes); }
void vrules(BuildContext& ctx, S s, D& d) {
  read_rule_block(ctx, s, *d.rule_priorities, d.instance.virtual_rules);
}
void nopreempt(BuildContext& ctx, S s, D& d) {
  if (ctx.arg_count(s, 0, 0)) d.instance.nopreempt = true;
}
void preempt(BuildContext& ctx, S s, D& d) {
  if (ctx.arg_count(s, 0, 0)) d.instance.nopreempt = false;
}
void preempt_delay(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0)) {
    if (*v > std::chrono::seconds(1000)) {
      ctx.error(s.args[0].where,
                fmt::format("'preempt_delay' value {} is out of range 0-1000", s.args[0].text));
      return;
    }
    d.instance.preempt_delay = *v;
  }
}
void src_ip(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  auto a = ctx.address_arg(s, 0);
  if (!a) return;
  if (a->is_multicast()) {
    ctx.warning(s.args[0].where,
                fmt::format("'{}' {} is a multicast address: this sets the source address of "
                            "adverts (an address of this host), not the group they go to "
                            "(vrrp_mcast_group4/6); no interface owns it, so adverts cannot be "
                            "sent from it",
                            s.keyword.text, a->to_string()));
  }
  d.instance.unicast_src_ip = *a;
}
void unicast_peer(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    auto a = IpAddress::parse(line.keyword.text);
    if (!a) {
      ctx.error(line.keyword.where,
                fmt::format("unicast peer '{}' is not an IP address", line.keyword.text));
      continue;
    }
    UnicastPeer p{*a, std::nullopt, std::nullopt, line.keyword.where};
    bool ok = true;
    for (std::size_t i = 0; i < line.args.size() && ok; i += 2) {
      const conf::Word& opt = line.args[i];
      if ((opt.text != "min_ttl" && opt.text != "max_ttl") || i + 1 >= line.args.size()) {
        ctx.error(opt.where, fmt::format("unexpected '{}' after unicast peer (expected min_ttl N "
                                         "or max_ttl N)",
                                         opt.text));
        ok = false;
        break;
      }
      auto v = parse_unsigned(line.args[i + 1].text);
      if (!v || *v > 255) {
        ctx.error(line.args[i + 1].where,
                  fmt::format("{} '{}' is not in 0-255", opt.text, line.args[i + 1].text));
        ok = false;
        break;
      }
      (opt.text == "min_ttl" ? p.min_ttl : p.max_ttl) = static_cast<int>(*v);
    }
    if (ok) d.instance.unicast_peers.push_back(p);
  }
}
void track_interface(BuildContext& ctx, S s, D& d) {
  read_track_interfaces(ctx, s, d.instance.track_interfaces);
}
void track_script(BuildContext& ctx, S s, D& d) {
  read_track_scripts(ctx, s, d.instance.track_scripts);
}
void track_file(BuildContext& ctx, S s, D& d) { read_track_files(ctx, s, d.instance.track_files); }
void track_process(BuildContext& ctx, S s, D& d) {
  read_track_processes(ctx, s, d.instance.track_processes);
}
void notify_master(BuildContext& ctx, S s, D& d) { set_notify(ctx, s, d.instance.notify.master); }
void notify_backup(BuildContext& ctx, S s, D& d) { set_notify(ctx, s, d.instance.notify.backup); }
void notify_fault(BuildContext& ctx, S s, D& d) { set_notify(ctx, s, d.instance.notify.fault); }
void notify_stop(BuildContext& ctx, S s, D& d) { set_notify(ctx, s, d.instance.notify.stop); }
void notify_any(BuildContext& ctx, S s, D& d) { set_notify(ctx, s, d.instance.notify.any); }
void garp_master_delay(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294)) {
    d.instance.garp_master_delay = std::chrono::seconds(*v);
    d.garp_delay_set = true;
  }
}
void garp_master_repeat(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 1, 4294967295U)) {
    d.instance.garp_master_repeat = static_cast<unsigned>(*v);
    d.garp_repeat_set = true;
  }
}
// ---- issue 14, keepalived 2.2.7's syntax and ranges: garp_master_refresh* and garp_lower_prio_*
// are acted on (vrrp/state_machine); the others are read and kept, not acted on ------------
void kept(BuildContext& ctx, S s) { warn_kept_not_acted_on(ctx, s, "vrrp_instance"); }
void garp_master_refresh(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294967295U)) {
    d.instance.garp_master_refresh = std::chrono::seconds(*v);
    d.garp_refresh_set = true;
  }
}
void garp_master_refresh_repeat(BuildContext& ctx, S s, D& d) {
  if (auto v = ctx.repeat_count_arg(s)) {
    d.instance.garp_master_refresh_repeat = *v;
    d.garp_refresh_repeat_set = true;
  }
}
void garp_lower_prio_delay(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294)) {
    d.instance.garp_lower_prio_delay = std::chrono::seconds(*v);
    d.garp_lower_prio_delay_set = true;
  }
}
void garp_lower_prio_repeat(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 2147483647U)) {
    d.instance.garp_lower_prio_repeat = static_cast<unsigned>(*v);
    d.garp_lower_prio_repeat_set = true;
  }
}
void check_unicast_src(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  d.instance.check_unicast_src = true;
  kept(ctx, s);
}
// Checked once the instance is read (finish_vrrp_instance): harmless only with unicast peers.
void unicast_fault_no_peer(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  d.instance.unicast_fault_no_peer = true;
  d.unicast_fault_no_peer_where = s.keyword.where;
}
void lvs_sync_daemon_interface(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (!d.instance.lvs_sync_daemon_interface.empty()) {
    ctx.warning(s.keyword.where,
                fmt::format("'lvs_sync_daemon_interface' is already set ({}); ignored, as "
                            "keepalived 2.2.7 ignores it",
                            d.instance.lvs_sync_daemon_interface));
    return;
  }
  ctx.warning(s.keyword.where,
              "'lvs_sync_daemon_interface' in a vrrp_instance is deprecated "
              "(keepalived 2.2.7 says so too): write 'lvs_sync_daemon IFACE "
              "INSTANCE' in global_defs");
  d.instance.lvs_sync_daemon_interface = s.args[0].text;
  kept(ctx, s);
}
void accept(BuildContext& ctx, S s, D& d) {
  if (ctx.arg_count(s, 0, 0)) d.instance.accept = d.accept_set = true;
}
void no_accept(BuildContext& ctx, S s, D& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  d.instance.accept = false;
  d.accept_set = true;
}
void dont_track_primary(BuildContext& ctx, S s, D& d) {
  if (ctx.arg_count(s, 0, 0)) d.instance.dont_track_primary = true;
}

constexpr Keyword<D> kInstanceKeywords[] = {
    {"state", state},
    {"interface", interface},
    {"virtual_router_id", vrid},
    {"priority", priority},
    {"advert_int", advert_int},
    {"version", version},
    {"authentication", authentication, BlockUse::Required},
    {"virtual_ipaddress", vips, BlockUse::Required},
    {"virtual_ipaddress_excluded", evips, BlockUse::Required},
    {"virtual_routes", vroutes, BlockUse::Required},
    {"virtual_rules", vrules, BlockUse::Required},
    {"nopreempt", nopreempt},
    {"preempt", preempt},
    {"preempt_delay", preempt_delay},
    {"unicast_src_ip", src_ip},
    {"mcast_src_ip", src_ip},
    {"unicast_peer", unicast_peer, BlockUse::Required},
    {"track_interface", track_interface, BlockUse::Required},
    {"track_script", track_script, BlockUse::Required},
    {"track_file", track_file, BlockUse::Required},
    {"track_process", track_process, BlockUse::Required},
    {"notify_master", notify_master},
    {"notify_backup", notify_backup},
    {"notify_fault", notify_fault},
    {"notify_stop", notify_stop},
    {"notify", notify_any},
    {"garp_master_delay", garp_master_delay},
    {"garp_master_repeat", garp_master_repeat},
    {"garp_master_refresh", garp_master_refresh},
    {"garp_master_refresh_repeat", garp_master_refresh_repeat},
    {"garp_lower_prio_delay", garp_lower_prio_delay},
    {"garp_lower_prio_repeat", garp_lower_prio_repeat},
    {"check_unicast_src", check_unicast_src},
    {"unicast_fault_no_peer", unicast_fault_no_peer},
    {"lvs_sync_daemon_interface", lvs_sync_daemon_interface},
    {"accept", accept},
    {"no_accept", no_accept},
    {"dont_track_primary", dont_track_primary},
    {"use_vmac", read_use_vmac},
    {"strict_mode", read_strict_mode},
    {"vmac_xmit_base", read_vmac_xmit_base},
};

constexpr std::string_view kInstanceUnsupported[] = {
    "use_vmac_addr",
    "use_ipvlan",
    "old_unicast_checksum",
    "native_ipv6",
    "vrf",
    "track_bfd",
    "mcast_dst_ip",
    "track_src_ip",
    "unicast_ttl",
    "promote_secondaries",
    "linkbeat_use_polling",
    "skip_check_adv_addr",
    "debug",
    "notify_deleted",
    "notify_master_rx_lower_pri",
    "smtp_alert",
    "notify_priority_changes",
    "down_timer_adverts",
    "garp_extra_if",
    "vmac_garp_intvl",
    "lower_prio_no_advert",
    "higher_prio_send_advert",
    "kernel_rx_buf_size",
};

}  // namespace

void read_address_block(BuildContext& ctx, const conf::Statement& s,
                        std::vector<VirtualAddress>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto va = read_virtual_address(ctx, line)) out.push_back(std::move(*va));
  }
}

void read_track_interfaces(BuildContext& ctx, const conf::Statement& s,
                           std::vector<TrackedInterface>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto t = read_tracked<TrackedInterface>(ctx, line, -253, 253)) out.push_back(*t);
  }
}

void read_track_files(BuildContext& ctx, const conf::Statement& s,
                      std::vector<TrackedScript>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto t = read_tracked<TrackedScript>(ctx, line, -254, 254)) out.push_back(*t);
  }
}

void read_track_scripts(BuildContext& ctx, const conf::Statement& s,
                        std::vector<TrackedScript>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto t = read_tracked<TrackedScript>(ctx, line, -253, 253)) out.push_back(*t);
  }
}

void read_track_processes(BuildContext& ctx, const conf::Statement& s,
                          std::vector<TrackedScript>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    auto t = read_tracked<TrackedScript>(ctx, line, -254, 254);
    if (!t) continue;
    if (std::any_of(out.begin(), out.end(), [&](const auto& o) { return o.name == t->name; })) {
      ctx.warning(line.keyword.where,
                  fmt::format("track_process {} is listed twice; the second is ignored (as "
                              "keepalived ignores it)",
                              t->name));
      continue;
    }
    out.push_back(*t);
  }
}

void set_notify(BuildContext& ctx, const conf::Statement& s, std::optional<ScriptCommand>& slot) {
  if (slot) {
    ctx.error(s.keyword.where,
              fmt::format("'{}' given twice (first at line {})", s.keyword.text, slot->where.line));
    return;
  }
  slot = ctx.notify_script(s);
}

bool one_name(BuildContext& ctx, const conf::Statement& s) {
  if (s.args.size() == 1) return true;
  if (s.args.empty()) {
    ctx.error(s.keyword.where, fmt::format("'{}' needs a name", s.keyword.text));
  } else {
    ctx.error(s.args[1].where,
              fmt::format("'{}' takes one name; unexpected '{}'", s.keyword.text, s.args[1].text));
  }
  return false;
}

void build_vrrp_instance(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (!one_name(ctx, s)) return;
  VrrpInstanceDraft d;
  d.instance.name = s.args[0].text;
  d.instance.where = s.keyword.where;
  d.rule_priorities = &draft.rule_priorities;
  static constexpr BlockRules rules{"vrrp_instance", kInstanceUnsupported, false};
  apply_keywords<VrrpInstanceDraft>(ctx, s.block, kInstanceKeywords, rules, d);
  note_script_references(draft, d.instance.track_scripts);
  draft.instances.push_back(std::move(d));
}

VrrpInstance finish_vrrp_instance(BuildContext& ctx, VrrpInstanceDraft&& d,
                                  const GlobalDefs& global) {
  VrrpInstance vi = std::move(d.instance);
  if (!d.version_set) vi.version = global.vrrp_version;
  if (!d.garp_delay_set) vi.garp_master_delay = global.vrrp_garp_master_delay;
  if (!d.garp_repeat_set) vi.garp_master_repeat = global.vrrp_garp_master_repeat;
  if (!d.garp_refresh_set) vi.garp_master_refresh = global.vrrp_garp_master_refresh;
  if (!d.garp_refresh_repeat_set) {
    vi.garp_master_refresh_repeat = global.vrrp_garp_master_refresh_repeat;
  }
  // keepalived: unset lower_prio values come from global_defs (whose own default is the global
  // garp_master ones), 0 for a strict instance (vrrp_strict / strict_mode).
  if (!d.garp_lower_prio_delay_set) {
    vi.garp_lower_prio_delay =
        instance_is_strict(global, d)
            ? Duration{0}
            : global.vrrp_garp_lower_prio_delay.value_or(global.vrrp_garp_master_delay);
  }
  if (!d.garp_lower_prio_repeat_set) {
    vi.garp_lower_prio_repeat =
        instance_is_strict(global, d)
            ? 0U
            : global.vrrp_garp_lower_prio_repeat.value_or(global.vrrp_garp_master_repeat);
  }
  // keepalived: vrrp_check_unicast_src checks every unicast instance.
  if (global.vrrp_check_unicast_src) vi.check_unicast_src = true;
  if (vi.unicast_fault_no_peer) {
    if (vi.unicast_peers.empty()) {
      ctx.error(d.unicast_fault_no_peer_where,
                fmt::format("not supported yet: unicast_fault_no_peer (in vrrp_instance) "
                            "without a unicast_peer: keepalived keeps instance {} in FAULT, "
                            "lvsctl would run it",
                            vi.name));
    } else {
      ctx.warning(d.unicast_fault_no_peer_where,
                  "'unicast_fault_no_peer' in vrrp_instance: read and kept; with unicast peers "
                  "configured it changes nothing (keepalived goes FAULT only without peers)");
    }
  }
  // keepalived: no priority + state MASTER means address owner (255); no state follows priority.
  if (!d.priority_set && vi.state_configured && vi.state == VrrpState::Master) {
    vi.priority = 255;
  }
  if (!vi.state_configured) vi.state = vi.priority == 255 ? VrrpState::Master : VrrpState::Backup;

  if (vi.version == 2 && vi.advert_int.count() % 1'000'000 != 0) {
    // keepalived 2.2.7 rounds to the nearest second (halves up), at least 1 s, with a warning.
    auto rounded = std::chrono::duration_cast<std::chrono::seconds>(
        vi.advert_int + std::chrono::milliseconds(500));
    if (rounded.count() == 0) rounded = std::chrono::seconds(1);
    ctx.warning(vi.where,
                fmt::format("vrrp_instance {}: VRRPv2 advert_int must be whole seconds (got {}); "
                            "rounded to {} s as keepalived does (use 'version 3' for fractions)",
                            vi.name, duration_seconds(vi.advert_int), rounded.count()));
    vi.advert_int = rounded;
  }
  if (vi.version == 3 && vi.advert_int.count() % 10'000 != 0) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: VRRPv3 advert_int must be in units of "
                                    "0.01 s (got {})",
                                    vi.name, duration_seconds(vi.advert_int)));
  }
  if (vi.version == 3 && vi.advert_int > std::chrono::milliseconds(40950)) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: VRRPv3 advert_int {} exceeds 40.95 s",
                                    vi.name, duration_seconds(vi.advert_int)));
  }
  apply_vrrp_strict(ctx, global, d, vi);
  if (vi.version == 3 && vi.auth_type != AuthType::None) {
    ctx.error(vi.where, fmt::format("vrrp_instance {}: VRRPv3 has no authentication; remove the "
                                    "'authentication' block (keepalived ignores it)",
                                    vi.name));
  }
  finish_vmac(ctx, vi);
  if (vi.priority == 255 && vi.nopreempt) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: nopreempt has no effect with priority "
                                      "255 (keepalived clears it)",
                                      vi.name));
    vi.nopreempt = false;
  }
  if (vi.state == VrrpState::Master && vi.nopreempt) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: nopreempt needs 'state BACKUP'; with "
                                      "state MASTER it is ignored (as keepalived does)",
                                      vi.name));
    vi.nopreempt = false;
  }
  if (vi.state == VrrpState::Master && vi.preempt_delay.count() != 0) {
    ctx.warning(vi.where, fmt::format("vrrp_instance {}: preempt_delay needs 'state BACKUP'; "
                                      "with state MASTER it is ignored (as keepalived does)",
                                      vi.name));
    vi.preempt_delay = Duration{0};
  }
  return vi;
}

}  // namespace lvsctl::director::config
