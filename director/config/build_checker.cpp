// Checker blocks of a real_server: TCP_CHECK, HTTP_GET, SSL_GET (with url blocks), MISC_CHECK,
// UDP_CHECK, SMTP_CHECK (with its deprecated host blocks).
#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/hex_bytes.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;
using C = CheckerDraft;

// Common to all checkers.
void retry(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 4294967295U)) c.own.retry = static_cast<unsigned>(*v);
}
// keepalived 2.2.7 knows nb_get_retry only in HTTP_GET/SSL_GET; in TCP_CHECK and MISC_CHECK it
// ignores the line. lvsctl keeps applying it (as it always has) and says both facts.
void nb_get_retry_unknown(BuildContext& ctx, S s, C& c) {
  retry(ctx, s, c);
  if (c.own.retry) {
    report_keepalived_ignores_nb_get_retry(ctx, s, to_string(c.checker.kind));
  }
}
void delay_before_retry(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0)) c.own.delay_before_retry = *v;
}
void warmup(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0)) c.own.warmup = *v;
}
void delay_loop(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::microseconds(1))) c.own.delay_loop = *v;
}
void alpha(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 0, 1)) return;
  if (auto v = ctx.flag_arg(s, 0)) c.own.alpha = *v;
}
// Connection options (not MISC_CHECK).
void connect_ip(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto a = ctx.address_arg(s, 0)) c.connect_ip = *a;
}
void connect_port(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto p = ctx.port_arg(s, 0)) {
    if (*p == 0) {
      ctx.error(s.args[0].where, "'connect_port' must be 1-65535");
      return;
    }
    c.connect_port = *p;
  }
}
void bindto(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto a = ctx.address_arg(s, 0)) c.checker.bindto = *a;
}
void connect_timeout(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.timer_arg(s, 0, std::chrono::microseconds(1))) c.own.connect_timeout = *v;
}

// HTTP_GET / SSL_GET.
HttpCheck& http(C& c) { return std::get<HttpCheck>(c.checker.spec); }

void url_path(BuildContext& ctx, S s, UrlCheck& u) {
  if (auto v = ctx.string_arg(s)) u.path = *v;
}
void url_digest(BuildContext& ctx, S s, UrlCheck& u) {
  auto v = ctx.string_arg(s);
  if (!v) return;
  bool hex = v->size() == 32;
  std::string lower;
  for (char ch : *v) {
    const char l = (ch >= 'A' && ch <= 'F') ? static_cast<char>(ch - 'A' + 'a') : ch;
    hex = hex && ((l >= '0' && l <= '9') || (l >= 'a' && l <= 'f'));
    lower += l;
  }
  if (!hex) {
    ctx.error(s.args[0].where,
              fmt::format("'digest' value '{}' is not an MD5 digest (32 hex digits)", *v));
    return;
  }
  u.digest = lower;
}
void url_status_code(BuildContext& ctx, S s, UrlCheck& u) {
  if (!ctx.arg_count(s, 1, BuildContext::kAny)) return;
  for (const auto& w : s.args) {
    const auto dash = w.text.find('-');
    auto lo = parse_unsigned(std::string_view(w.text).substr(0, dash));
    auto hi =
        dash == std::string::npos ? lo : parse_unsigned(std::string_view(w.text).substr(dash + 1));
    if (!lo || !hi || *lo < 100 || *hi > 999 || *lo > *hi) {
      ctx.error(w.where, fmt::format("'status_code' value '{}' is not a code or range within "
                                     "100-999",
                                     w.text));
      continue;
    }
    u.status_codes.push_back({static_cast<int>(*lo), static_cast<int>(*hi)});
  }
}
void url_virtualhost(BuildContext& ctx, S s, UrlCheck& u) {
  if (auto v = ctx.string_arg(s)) u.virtualhost = *v;
}

constexpr Keyword<UrlCheck> kUrlKeywords[] = {
    {"path", url_path},
    {"digest", url_digest},
    {"status_code", url_status_code},
    {"virtualhost", url_virtualhost},
};
constexpr std::string_view kUrlUnsupported[] = {
    "regex",       "regex_no_match",   "regex_options",
    "regex_stack", "regex_min_offset", "regex_max_offset"};

void url(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 0, 0)) return;
  UrlCheck u;
  u.where = s.keyword.where;
  static constexpr BlockRules rules{"url", kUrlUnsupported, false};
  apply_keywords<UrlCheck>(ctx, s.block, kUrlKeywords, rules, u);
  if (u.path.empty()) {
    ctx.error(s.keyword.where, "'url' block has no 'path'");
    return;
  }
  if (u.status_codes.empty()) u.status_codes.push_back({200, 299});
  http(c).urls.push_back(std::move(u));
}
void virtualhost(BuildContext& ctx, S s, C& c) {
  if (auto v = ctx.string_arg(s)) http(c).virtualhost = *v;
}
void http_protocol(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto i = ctx.choice_arg(s, 0, {"1.0", "1.0C", "1.1"})) {
    static constexpr const char* kNames[] = {"1.0", "1.0C", "1.1"};
    http(c).http_protocol = kNames[*i];
  }
}
void enable_sni(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 0, 0)) return;
  if (!http(c).tls) {
    ctx.error(s.keyword.where, "'enable_sni' only applies to SSL_GET");
    return;
  }
  http(c).enable_sni = true;
}

// MISC_CHECK.
MiscCheck& misc(C& c) { return std::get<MiscCheck>(c.checker.spec); }
void misc_path(BuildContext& ctx, S s, C& c) {
  auto cmd = ctx.command_line(s);
  if (!cmd) return;
  cmd->user = misc(c).path.user;
  cmd->group = misc(c).path.group;
  misc(c).path = *cmd;
}
void misc_timeout(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 1, 4294)) c.misc_timeout = std::chrono::seconds(*v);
}
void misc_dynamic(BuildContext& ctx, S s, C& c) {
  if (ctx.arg_count(s, 0, 0)) misc(c).dynamic = true;
}
void misc_user(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 2)) return;
  misc(c).path.user = s.args[0].text;
  if (s.args.size() > 1) misc(c).path.group = s.args[1].text;
}

// UDP_CHECK.
UdpCheck& udp(C& c) { return std::get<UdpCheck>(c.checker.spec); }
// The statement's words joined by blanks, read as keepalived reads hex strings.
std::optional<HexBytes> hex_args(BuildContext& ctx, S s, bool wildcards) {
  std::string text;
  for (const auto& w : s.args) text += (text.empty() ? "" : " ") + w.text;
  auto bytes = parse_hex_bytes(text, wildcards);
  if (!bytes) {
    ctx.error(s.args[0].where, fmt::format("'{}' value '{}' is not a hex string{}", s.keyword.text,
                                           text, wildcards ? " (hex digits, x for any nibble)" : ""));
  }
  return bytes;
}
void udp_payload(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, BuildContext::kAny)) return;
  if (auto bytes = hex_args(ctx, s, false)) udp(c).payload = std::move(bytes->data);
}
void udp_require_reply(BuildContext& ctx, S s, C& c) {
  udp(c).require_reply = true;
  if (s.args.empty()) return;
  if (auto bytes = hex_args(ctx, s, true)) {
    udp(c).reply = std::move(bytes->data);
    udp(c).reply_mask = std::move(bytes->mask);
  }
}
void udp_min_reply_length(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 65535)) udp(c).min_reply_length = static_cast<unsigned>(*v);
}
void udp_max_reply_length(BuildContext& ctx, S s, C& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto v = ctx.unsigned_arg(s, 0, 0, 65535)) udp(c).max_reply_length = static_cast<unsigned>(*v);
}

// SMTP_CHECK: its own lines and its deprecated `host { }` blocks. A host block's connection
// lines are its own (keepalived starts it from the real server's address and port); its other
// lines (retry, delay_before_retry, warmup, delay_loop, alpha) set the enclosing SMTP_CHECK's, as
// keepalived 2.2.7 does.
struct SmtpDraft {
  C check;
  std::vector<C> hosts;
};
struct SmtpHostDraft {
  C& check;
  C host;
};
template <void (*F)(BuildContext&, S, C&)>
void smtp_line(BuildContext& ctx, S s, SmtpDraft& d) {
  F(ctx, s, d.check);
}
template <void (*F)(BuildContext&, S, C&)>
void host_own(BuildContext& ctx, S s, SmtpHostDraft& h) {
  F(ctx, s, h.host);
}
template <void (*F)(BuildContext&, S, C&)>
void host_check(BuildContext& ctx, S s, SmtpHostDraft& h) {
  F(ctx, s, h.check);
}
void smtp_helo_name(BuildContext& ctx, S s, SmtpDraft& d) {
  if (auto v = ctx.string_arg(s)) std::get<SmtpCheck>(d.check.checker.spec).helo_name = *v;
}
constexpr Keyword<SmtpHostDraft> kSmtpHostKeywords[] = {
    {"connect_ip", host_own<connect_ip>},
    {"connect_port", host_own<connect_port>},
    {"bindto", host_own<bindto>},
    {"connect_timeout", host_own<connect_timeout>},
    {"retry", host_check<retry>},
    {"delay_before_retry", host_check<delay_before_retry>},
    {"warmup", host_check<warmup>},
    {"delay_loop", host_check<delay_loop>},
    {"alpha", host_check<alpha>},
    {"nb_get_retry", host_check<nb_get_retry_unknown>},
};
constexpr std::string_view kSmtpUnsupported[] = {"bind_port", "bind_if", "fwmark",
                                                 "log_all_failures"};
void smtp_host(BuildContext& ctx, S s, SmtpDraft& d) {
  if (!ctx.arg_count(s, 0, 0)) return;
  SmtpHostDraft h{d.check, C{}};
  h.host.checker.where = s.keyword.where;
  static constexpr BlockRules rules{"host", kSmtpUnsupported, false};
  apply_keywords<SmtpHostDraft>(ctx, s.block, kSmtpHostKeywords, rules, h);
  d.hosts.push_back(std::move(h.host));
}
constexpr Keyword<SmtpDraft> kSmtpKeywords[] = {
    {"retry", smtp_line<retry>},
    {"delay_before_retry", smtp_line<delay_before_retry>},
    {"warmup", smtp_line<warmup>},
    {"delay_loop", smtp_line<delay_loop>},
    {"alpha", smtp_line<alpha>},
    {"connect_ip", smtp_line<connect_ip>},
    {"connect_port", smtp_line<connect_port>},
    {"bindto", smtp_line<bindto>},
    {"connect_timeout", smtp_line<connect_timeout>},
    {"nb_get_retry", smtp_line<nb_get_retry_unknown>},
    {"helo_name", smtp_helo_name},
    {"host", smtp_host, BlockUse::Required},
};

#define LVSCTL_COMMON_CHECK_KEYWORDS                                                              \
  {"retry", retry}, {"delay_before_retry", delay_before_retry}, {"warmup", warmup}, {"delay_loop", delay_loop}, \
  {                                                                                               \
    "alpha", alpha                                                                                \
  }
#define LVSCTL_CONNECT_KEYWORDS                                                     \
  {"connect_ip", connect_ip}, {"connect_port", connect_port}, {"bindto", bindto}, { \
    "connect_timeout", connect_timeout                                              \
  }

constexpr Keyword<C> kTcpKeywords[] = {LVSCTL_COMMON_CHECK_KEYWORDS, LVSCTL_CONNECT_KEYWORDS,
                                       {"nb_get_retry", nb_get_retry_unknown}};
constexpr Keyword<C> kHttpKeywords[] = {
    LVSCTL_COMMON_CHECK_KEYWORDS,     LVSCTL_CONNECT_KEYWORDS,
    {"nb_get_retry", retry, BlockUse::None, "retry"},
    {"url", url, BlockUse::Required}, {"virtualhost", virtualhost},
    {"http_protocol", http_protocol}, {"enable_sni", enable_sni},
};
constexpr Keyword<C> kMiscKeywords[] = {
    LVSCTL_COMMON_CHECK_KEYWORDS,   {"nb_get_retry", nb_get_retry_unknown}, {"misc_path", misc_path}, {"misc_timeout", misc_timeout},
    {"misc_dynamic", misc_dynamic}, {"user", misc_user},
};
constexpr Keyword<C> kUdpKeywords[] = {
    LVSCTL_COMMON_CHECK_KEYWORDS,
    LVSCTL_CONNECT_KEYWORDS,
    {"nb_get_retry", nb_get_retry_unknown},
    {"payload", udp_payload},
    {"require_reply", udp_require_reply},
    {"min_reply_length", udp_min_reply_length},
    {"max_reply_length", udp_max_reply_length},
};
#undef LVSCTL_COMMON_CHECK_KEYWORDS
#undef LVSCTL_CONNECT_KEYWORDS

constexpr std::string_view kConnectUnsupported[] = {"bind_port", "bind_if", "fwmark",
                                                    "log_all_failures"};
constexpr std::string_view kHttpUnsupported[] = {"bind_port", "bind_if", "fwmark",
                                                 "log_all_failures", "fast_recovery"};
constexpr std::string_view kMiscUnsupported[] = {"log_all_failures"};

// SMTP_CHECK and its deprecated host blocks, as keepalived 2.2.7 turns them into checkers: without
// host blocks, or when the SMTP_CHECK sets a connection option itself (connect_ip, connect_port,
// bindto, connect_timeout), it checks the real server (or what it names), and each host block is
// one more checker; otherwise the first host block takes its place. Each host's checker has the
// SMTP_CHECK's settings and its own connection; its connect_timeout, when not its own, is the
// SMTP_CHECK's (keepalived leaves it 0: see docs/keepalived-compat.md).
void build_smtp_check(BuildContext& ctx, S s, C&& check, RealServerDraft& rs) {
  SmtpDraft d{std::move(check), {}};
  static constexpr BlockRules rules{"SMTP_CHECK", kSmtpUnsupported, false};
  apply_keywords<SmtpDraft>(ctx, s.block, kSmtpKeywords, rules, d);
  C& c = d.check;
  std::vector<C>& hosts = d.hosts;
  if (hosts.empty()) {
    rs.checkers.push_back(std::move(c));
    return;
  }
  ctx.warning(hosts.front().checker.where,
              "The SMTP_CHECK host block is deprecated. Please define additional checkers. "
              "(keepalived 2.2.7's words; each host block is one more SMTP_CHECK)");
  const bool own_connection =
      c.connect_ip || c.connect_port || c.checker.bindto || c.own.connect_timeout;
  if (own_connection) rs.checkers.push_back(c);
  for (C& h : hosts) {
    C each = c;
    each.checker.where = h.checker.where;
    each.connect_ip = h.connect_ip;
    each.connect_port = h.connect_port;
    each.checker.bindto = h.checker.bindto;
    if (h.own.connect_timeout) each.own.connect_timeout = h.own.connect_timeout;
    rs.checkers.push_back(std::move(each));
  }
}

}  // namespace

void build_checker(BuildContext& ctx, const conf::Statement& s, CheckerKind kind,
                   RealServerDraft& rs) {
  if (!ctx.arg_count(s, 0, 0)) return;
  CheckerDraft c;
  c.checker.kind = kind;
  c.checker.where = s.keyword.where;
  switch (kind) {
    case CheckerKind::Tcp: {
      c.checker.spec = TcpCheck{};
      static constexpr BlockRules rules{"TCP_CHECK", kConnectUnsupported, false};
      apply_keywords<C>(ctx, s.block, kTcpKeywords, rules, c);
      break;
    }
    case CheckerKind::HttpGet:
    case CheckerKind::SslGet: {
      HttpCheck h;
      h.tls = kind == CheckerKind::SslGet;
      c.checker.spec = h;
      static constexpr BlockRules http_rules{"HTTP_GET", kHttpUnsupported, false};
      static constexpr BlockRules ssl_rules{"SSL_GET", kHttpUnsupported, false};
      apply_keywords<C>(ctx, s.block, kHttpKeywords, h.tls ? ssl_rules : http_rules, c);
      if (http(c).urls.empty()) {
        ctx.error(s.keyword.where, fmt::format("{} has no 'url' block", s.keyword.text));
      }
      break;
    }
    case CheckerKind::Misc: {
      c.checker.spec = MiscCheck{};
      static constexpr BlockRules rules{"MISC_CHECK", kMiscUnsupported, false};
      apply_keywords<C>(ctx, s.block, kMiscKeywords, rules, c);
      if (misc(c).path.command.empty()) {
        ctx.error(s.keyword.where, "MISC_CHECK has no 'misc_path'");
      }
      break;
    }
    case CheckerKind::Udp: {
      c.checker.spec = UdpCheck{};
      static constexpr BlockRules rules{"UDP_CHECK", kConnectUnsupported, false};
      apply_keywords<C>(ctx, s.block, kUdpKeywords, rules, c);
      const UdpCheck& u = udp(c);
      if (!u.reply.empty() && u.min_reply_length > u.max_reply_length) {
        ctx.error(s.keyword.where, fmt::format("UDP_CHECK min_reply_length {} > max_reply_length {}: "
                                               "every reply would fail",
                                               u.min_reply_length, u.max_reply_length));
      }
      break;
    }
    case CheckerKind::Dns: {
      c.checker.spec = DnsCheck{};  // not yet: refused in build_lvs.cpp
      break;
    }
    case CheckerKind::Ping: {
      c.checker.spec = PingCheck{};  // not yet: refused in build_lvs.cpp
      break;
    }
    case CheckerKind::Smtp: {
      c.checker.spec = SmtpCheck{};
      build_smtp_check(ctx, s, std::move(c), rs);
      return;
    }
    case CheckerKind::File: {
      c.checker.spec = FileCheck{};  // not yet: refused in build_lvs.cpp
      break;
    }
  }
  rs.checkers.push_back(std::move(c));
}

}  // namespace lvsctl::director::config
