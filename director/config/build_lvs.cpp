// virtual_server (with its real_server blocks) and virtual_server_group.
#include <algorithm>
#include <array>

#include <type_traits>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

std::optional<ForwardingMethod> read_method(BuildContext& ctx, S s) {
  if (!ctx.arg_count(s, 1, BuildContext::kAny)) return std::nullopt;
  auto i = ctx.choice_arg(s, 0, {"NAT", "DR", "TUN"});
  if (!i) return std::nullopt;
  if (s.args.size() > 1) {
    ctx.error(s.args[1].where, fmt::format("not supported yet: tunnel options ('{}') of '{}'",
                                           s.args[1].text, s.keyword.text));
    return std::nullopt;
  }
  return static_cast<ForwardingMethod>(*i);
}

// Settings shared by virtual_server and real_server that checkers inherit.
template <typename Draft>
void set_connect_timeout(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::microseconds(1))) d.defaults.connect_timeout = *v;
}
template <typename Draft>
void set_retry(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294967295U)) d.defaults.retry = static_cast<unsigned>(*v);
}
// keepalived 2.2.7 does not know nb_get_retry in virtual_server/real_server; lvsctl applies it.
template <typename Draft>
void set_nb_get_retry(BuildContext& ctx, S s, Draft& d) {
  set_retry(ctx, s, d);
  if (d.defaults.retry) {
    report_keepalived_ignores_nb_get_retry(
        ctx, s, std::is_same_v<Draft, RealServerDraft> ? "real_server" : "virtual_server");
  }
}
template <typename Draft>
void set_delay_before_retry(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0)) d.defaults.delay_before_retry = *v;
}
template <typename Draft>
void set_warmup(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0)) d.defaults.warmup = *v;
}
template <typename Draft>
void set_delay_loop(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::microseconds(1))) d.defaults.delay_loop = *v;
}
template <typename Draft>
void set_alpha(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 0, 1)) return;
  if (auto v = ctx.flag_arg(s, 0)) d.defaults.alpha = *v;
}
template <typename Draft>
void set_inhibit(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 0, 1)) return;
  if (auto v = ctx.flag_arg(s, 0)) d.defaults.inhibit_on_failure = *v;
}
template <typename Draft>
void set_virtualhost(BuildContext& ctx, S s, Draft& d) {
  if (auto v = ctx.string_arg(s)) d.defaults.virtualhost = *v;
}
template <typename Draft>
void set_method(BuildContext& ctx, S s, Draft& d) {
  if (auto m = read_method(ctx, s)) d.method = *m;
}
template <typename Draft>
void set_weight(BuildContext& ctx, S s, Draft& d) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 65535)) d.weight = static_cast<int>(*v);
}

// ---- real_server ---------------------------------------------------------------------------

using R = RealServerDraft;

void rs_notify_up(BuildContext& ctx, S s, R& r) { r.server.notify_up = ctx.notify_script(s); }
void rs_notify_down(BuildContext& ctx, S s, R& r) { r.server.notify_down = ctx.notify_script(s); }
void rs_tcp(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::Tcp, r); }
void rs_http(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::HttpGet, r); }
void rs_ssl(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::SslGet, r); }
void rs_misc(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::Misc, r); }
void rs_udp(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::Udp, r); }
void rs_smtp(BuildContext& ctx, S s, R& r) { build_checker(ctx, s, CheckerKind::Smtp, r); }

constexpr Keyword<R> kRealServerKeywords[] = {
    {"weight", set_weight<R>},
    {"lvs_method", set_method<R>},
    {"lb_kind", set_method<R>, BlockUse::None, "lvs_method"},
    {"inhibit_on_failure", set_inhibit<R>},
    {"notify_up", rs_notify_up},
    {"notify_down", rs_notify_down},
    {"alpha", set_alpha<R>},
    {"connect_timeout", set_connect_timeout<R>},
    {"retry", set_retry<R>},
    {"nb_get_retry", set_nb_get_retry<R>},
    {"delay_before_retry", set_delay_before_retry<R>},
    {"warmup", set_warmup<R>},
    {"delay_loop", set_delay_loop<R>},
    {"virtualhost", set_virtualhost<R>},
    {"TCP_CHECK", rs_tcp, BlockUse::Required},
    {"HTTP_GET", rs_http, BlockUse::Required},
    {"SSL_GET", rs_ssl, BlockUse::Required},
    {"MISC_CHECK", rs_misc, BlockUse::Required},
    {"UDP_CHECK", rs_udp, BlockUse::Required},
    {"SMTP_CHECK", rs_smtp, BlockUse::Required},
};
constexpr std::string_view kRealServerUnsupported[] = {
    "uthreshold", "lthreshold", "smtp_alert", "snmp_name",
    "DNS_CHECK",  "BFD_CHECK",  "PING_CHECK", "FILE_CHECK"};

// ADDR [PORT]
bool read_server_address(BuildContext& ctx, S s, IpAddress& addr, std::uint16_t& port,
                         bool& port_given) {
  if (!ctx.arg_count(s, 1, 2)) return false;
  auto a = ctx.address_arg(s, 0);
  if (!a) return false;
  addr = *a;
  port_given = false;
  port = 0;
  if (s.args.size() == 2) {
    auto p = ctx.port_arg(s, 1);
    if (!p) return false;
    port = *p;
    port_given = *p != 0;
  }
  return true;
}

// ---- virtual_server ------------------------------------------------------------------------

using V = VirtualServerDraft;

void vs_delay_loop(BuildContext& ctx, S s, V& v) {
  set_delay_loop<V>(ctx, s, v);
  if (v.defaults.delay_loop) v.server.delay_loop = *v.defaults.delay_loop;
}
void vs_connect_timeout(BuildContext& ctx, S s, V& v) {
  set_connect_timeout<V>(ctx, s, v);
  if (v.defaults.connect_timeout) v.server.connect_timeout = *v.defaults.connect_timeout;
}
void vs_sched(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  auto i = ctx.choice_arg(s, 0,
                          {"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr",
                           "sed", "nq", "twos"});
  if (!i) return;
  static constexpr std::string_view kNames[] = {"rr", "wrr", "lc",  "wlc",   "lblc", "sh", "mh",
                                                "dh", "fo",  "ovf", "lblcr", "sed",  "nq", "twos"};
  v.server.scheduler = std::string(kNames[*i]);
  v.scheduler_set = true;
}
void vs_one_packet(BuildContext& ctx, S s, V& v) {
  if (ctx.arg_count(s, 0, 0)) v.server.one_packet = true;
}
// flag-1, flag-2, flag-3; sh-fallback / mh-fallback (= flag-1) and sh-port / mh-port (= flag-2).
// keepalived takes the sh-/mh- names only after 'lvs_sched sh'/'mh' in the same block and
// ignores them elsewhere; lvsctl does the same (so both program one table) and says so.
void vs_scheduler_flag(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 0, 0)) return;
  const std::string_view word = s.keyword.text;
  if (word.starts_with("flag-")) {
    v.server.scheduler_flags |= static_cast<std::uint8_t>(1U << (word.back() - '1'));
    return;
  }
  const std::string_view sched = word.substr(0, 2);
  if (!v.scheduler_set || v.server.scheduler != sched) {
    ctx.warning(s.keyword.where,
                fmt::format("'{}' ignored: it applies only after 'lvs_sched {}' in the same "
                            "virtual_server (keepalived ignores it here too)",
                            word, sched));
    return;
  }
  v.server.scheduler_flags |= static_cast<std::uint8_t>(word.ends_with("fallback") ? 1U : 2U);
}
void vs_hashed(BuildContext& ctx, S s, V& /*v*/) {
  if (!ctx.arg_count(s, 0, 0)) return;
  ctx.warning(s.keyword.where,
              "'hashed' has no effect (IPVS hashes every service): delete the line");
}
void vs_persistence_timeout(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 0, 1)) return;
  if (s.args.empty()) {
    v.server.persistence_timeout = 360;
    return;
  }
  if (auto n = ctx.unsigned_arg(s, 0, 1, 2678400)) {
    v.server.persistence_timeout = static_cast<std::uint32_t>(*n);
  }
}
void vs_persistence_granularity(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  const conf::Word& w = s.args[0];
  bool ok = false;
  if (w.text.find('.') != std::string::npos) {
    auto a = IpAddress::parse(w.text);
    ok = a && a->is_v4();
  } else if (auto n = parse_unsigned(w.text)) {
    ok = *n >= 1 && *n <= 128;
  }
  if (!ok) {
    ctx.error(w.where, fmt::format("'persistence_granularity' value '{}' is neither an IPv4 "
                                   "netmask nor an IPv6 prefix length 1-128",
                                   w.text));
    return;
  }
  v.server.persistence_granularity = w.text;
  if (v.server.persistence_timeout == 0) v.server.persistence_timeout = 360;
}
void vs_protocol(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  // keepalived compares the protocol case-insensitively.
  if (auto i = ctx.choice_arg(s, 0, {"TCP", "UDP", "SCTP"}, true)) {
    v.server.protocol = static_cast<Protocol>(*i);
    v.protocol_set = true;
  }
}
void vs_sorry_server(BuildContext& ctx, S s, V& v) {
  SorryServer ss;
  bool port_given = false;
  if (!read_server_address(ctx, s, ss.address, ss.port, port_given)) return;
  ss.where = s.keyword.where;
  if (v.server.sorry_server) {
    ss.inhibit = v.server.sorry_server->inhibit;
    ss.method = v.server.sorry_server->method;
  }
  v.server.sorry_server = ss;
}
void vs_sorry_inhibit(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 0, 0)) return;
  if (!v.server.sorry_server) {
    ctx.error(s.keyword.where, "'sorry_server_inhibit' needs a 'sorry_server' before it");
    return;
  }
  v.server.sorry_server->inhibit = true;
}
void vs_sorry_method(BuildContext& ctx, S s, V& v) {
  auto m = read_method(ctx, s);
  if (!m) return;
  if (!v.server.sorry_server) {
    ctx.error(s.keyword.where, "'sorry_server_lvs_method' needs a 'sorry_server' before it");
    return;
  }
  v.server.sorry_server->method = *m;
}
void vs_quorum(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 1, 4294967295U)) v.server.quorum = static_cast<unsigned>(*n);
}
void vs_hysteresis(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 0, 4294967295U)) {
    v.server.hysteresis = static_cast<unsigned>(*n);
  }
}
void vs_omega(BuildContext& ctx, S s, V& v) {
  if (ctx.arg_count(s, 0, 0)) v.server.omega = true;
}
void vs_quorum_up(BuildContext& ctx, S s, V& v) { v.server.quorum_up = ctx.notify_script(s); }
void vs_quorum_down(BuildContext& ctx, S s, V& v) { v.server.quorum_down = ctx.notify_script(s); }
void vs_ip_family(BuildContext& ctx, S s, V& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto i = ctx.choice_arg(s, 0, {"inet", "inet6"})) {
    v.server.ip_family = *i == 0 ? AddressFamily::V4 : AddressFamily::V6;
  }
}
void vs_nat_mask(BuildContext& ctx, S s, V& /*v*/) {
  ctx.warning(s.keyword.where,
              "'nat_mask' is obsolete and ignored (keepalived removed it; "
              "IPVS NAT needs no netmask): delete the line");
}
void vs_real_server(BuildContext& ctx, S s, V& v) {
  RealServerDraft r;
  if (!read_server_address(ctx, s, r.server.address, r.server.port, r.port_given)) return;
  r.server.where = s.keyword.where;
  static constexpr BlockRules rules{"real_server", kRealServerUnsupported, false};
  apply_keywords<R>(ctx, s.block, kRealServerKeywords, rules, r);
  v.real_servers.push_back(std::move(r));
}

constexpr Keyword<V> kVirtualServerKeywords[] = {
    {"delay_loop", vs_delay_loop},
    {"lvs_sched", vs_sched},
    {"lb_algo", vs_sched, BlockUse::None, "lvs_sched"},
    {"ops", vs_one_packet},
    {"flag-1", vs_scheduler_flag},
    {"flag-2", vs_scheduler_flag},
    {"flag-3", vs_scheduler_flag},
    {"sh-port", vs_scheduler_flag},
    {"sh-fallback", vs_scheduler_flag},
    {"mh-port", vs_scheduler_flag},
    {"mh-fallback", vs_scheduler_flag},
    {"hashed", vs_hashed},
    {"lvs_method", set_method<V>},
    {"lb_kind", set_method<V>, BlockUse::None, "lvs_method"},
    {"persistence_timeout", vs_persistence_timeout},
    {"persistence_granularity", vs_persistence_granularity},
    {"protocol", vs_protocol},
    {"sorry_server", vs_sorry_server},
    {"sorry_server_inhibit", vs_sorry_inhibit},
    {"sorry_server_lvs_method", vs_sorry_method},
    {"inhibit_on_failure", set_inhibit<V>},
    {"quorum", vs_quorum},
    {"hysteresis", vs_hysteresis},
    {"alpha", set_alpha<V>},
    {"omega", vs_omega},
    {"quorum_up", vs_quorum_up},
    {"quorum_down", vs_quorum_down},
    {"virtualhost", set_virtualhost<V>},
    {"warmup", set_warmup<V>},
    {"connect_timeout", vs_connect_timeout},
    {"retry", set_retry<V>},
    {"nb_get_retry", set_nb_get_retry<V>},
    {"delay_before_retry", set_delay_before_retry<V>},
    {"weight", set_weight<V>},
    {"ip_family", vs_ip_family},
    {"nat_mask", vs_nat_mask},
    {"real_server", vs_real_server, BlockUse::Optional},
};
constexpr std::string_view kVirtualServerUnsupported[] = {"persistence_engine", "ha_suspend",
                                                          "smtp_alert", "snmp_name"};

// ---- virtual_server_group ------------------------------------------------------------------

IpAddress last_group_replaced(const IpAddress& first, std::string_view hex, bool& ok) {
  ok = false;
  if (hex.empty() || hex.size() > 4) return first;
  unsigned value = 0;
  for (char ch : hex) {
    const int digit = (ch >= '0' && ch <= '9')   ? ch - '0'
                      : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
                      : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                                 : -1;
    if (digit < 0) return first;
    value = value * 16 + static_cast<unsigned>(digit);
  }
  std::array<std::uint8_t, 16> bytes{};
  std::copy_n(first.bytes().begin(), bytes.size(), bytes.begin());  // `first` is IPv6
  bytes[14] = static_cast<std::uint8_t>(value >> 8);
  bytes[15] = static_cast<std::uint8_t>(value);
  auto last = IpAddress::from_bytes(bytes);
  ok = last && first <= *last;
  return last.value_or(first);
}

void read_group_entry(BuildContext& ctx, S line, VirtualServerGroup& g) {
  if (line.has_block) {
    ctx.error(line.keyword.where, "a virtual_server_group entry does not take a { ... } block");
    return;
  }
  if (line.keyword.text == "fwmark") {
    if (!ctx.arg_count(line, 1, 2)) return;
    auto n = ctx.unsigned_arg(line, 0, 1, 4294967295U);
    if (!n) return;
    VirtualServerGroupFwmark f{static_cast<std::uint32_t>(*n), std::nullopt, line.keyword.where};
    if (line.args.size() == 2) {
      auto fam = ctx.choice_arg(line, 1, {"inet", "inet6"});
      if (!fam) return;
      f.family = *fam == 0 ? AddressFamily::V4 : AddressFamily::V6;
    }
    g.fwmarks.push_back(f);
    return;
  }
  // ADDR, ADDR-LASTOCTET, ADDR-ADDR or ADDR/LEN, then an optional port.
  const std::string& text = line.keyword.text;
  VirtualServerGroupRange r;
  r.where = line.keyword.where;
  bool ok = false;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    if (auto p = IpPrefix::parse(text); p && p->address.is_v4()) {
      const std::uint32_t mask = p->length == 0 ? 0 : ~std::uint32_t{0} << (32 - p->length);
      r.first = IpAddress::v4(p->address.v4_host_order() & mask);
      r.last = IpAddress::v4((p->address.v4_host_order() & mask) | ~mask);
      ok = true;
    } else if (p) {
      ctx.error(line.keyword.where, fmt::format("not supported yet: IPv6 prefix range '{}'", text));
      return;
    }
  } else if (auto dash = text.find('-'); dash != std::string::npos) {
    auto first = IpAddress::parse(std::string_view(text).substr(0, dash));
    const std::string_view tail = std::string_view(text).substr(dash + 1);
    if (first) {
      r.first = *first;
      if (auto last = IpAddress::parse(tail)) {
        ok = last->family() == first->family() && *first <= *last;
        r.last = *last;
      } else if (first->is_v4()) {
        // 192.0.2.1-10: the last octet
        if (auto octet = parse_unsigned(tail); octet && *octet <= 255) {
          const std::uint32_t base = first->v4_host_order() & 0xffffff00U;
          r.last = IpAddress::v4(base | static_cast<std::uint32_t>(*octet));
          ok = *first <= r.last;
        }
      } else {
        // 2001:db8::2-9: the last 16-bit group, in hex
        r.last = last_group_replaced(*first, tail, ok);
      }
    }
  } else if (auto a = IpAddress::parse(text)) {
    r.first = r.last = *a;
    ok = true;
  }
  if (!ok) {
    ctx.error(line.keyword.where, fmt::format("'{}' is not an address, address range or 'fwmark N' "
                                              "(virtual_server_group entry)",
                                              text));
    return;
  }
  if (!ctx.arg_count(line, 0, 1)) return;
  if (line.args.size() == 1) {
    auto p = ctx.port_arg(line, 0);
    if (!p) return;
    r.port = *p;
  }
  g.ranges.push_back(r);
}

}  // namespace

void build_virtual_server(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  VirtualServerDraft d;
  VirtualServer& vs = d.server;
  vs.where = s.keyword.where;
  if (s.args.empty()) {
    ctx.error(s.keyword.where, "'virtual_server' needs ADDRESS [PORT], 'fwmark N' or 'group NAME'");
    return;
  }
  if (s.args[0].text == "fwmark" || s.args[0].text == "group") {
    if (!ctx.arg_count(s, 2, 2)) return;
    if (s.args[0].text == "fwmark") {
      vs.kind = VirtualServerKind::Fwmark;
      auto n = ctx.unsigned_arg(s, 1, 1, 4294967295U);
      if (!n) return;
      vs.fwmark = static_cast<std::uint32_t>(*n);
    } else {
      vs.kind = VirtualServerKind::Group;
      vs.group = s.args[1].text;
    }
  } else {
    bool port_given = false;
    if (!read_server_address(ctx, s, vs.address, vs.port, port_given)) return;
    vs.kind = VirtualServerKind::Address;
  }
  static constexpr BlockRules rules{"virtual_server", kVirtualServerUnsupported, false};
  apply_keywords<V>(ctx, s.block, kVirtualServerKeywords, rules, d);
  // A virtual server depends on nothing outside its block: resolve it now, so that drafts
  // never pile up (10,000 services would otherwise hold every draft until the end).
  draft.config.virtual_servers.push_back(finish_virtual_server(ctx, std::move(d)));
}

void build_virtual_server_group(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (s.args.size() != 1) {
    ctx.error(s.keyword.where, "'virtual_server_group' needs exactly one name");
    return;
  }
  VirtualServerGroup g;
  g.name = s.args[0].text;
  g.where = s.keyword.where;
  for (const auto& line : s.block) read_group_entry(ctx, line, g);
  if (g.ranges.empty() && g.fwmarks.empty()) {
    ctx.error(s.keyword.where, fmt::format("virtual_server_group {} has no entries", g.name));
  }
  draft.config.virtual_server_groups.push_back(std::move(g));
}

}  // namespace lvsctl::director::config
