// keepalived's route and rule lines, read as keepalived 2.2.7 reads them (see route_parse.hpp).
#include "director/config/route_parse.hpp"

#include <algorithm>
#include <charconv>
#include <span>

#include <fmt/format.h>

namespace lvsctl::director::config {
namespace {

constexpr std::uint8_t kProtoKeepalived = 18;  // RTPROT_KEEPALIVED: what keepalived installs with

// Decimal or 0x-hex, as ip(8) reads numbers.
std::optional<std::uint64_t> number(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// The words of a line: the keyword and its arguments, in order.
std::vector<const conf::Word*> words_of(const conf::Statement& line) {
  std::vector<const conf::Word*> out{&line.keyword};
  for (const auto& w : line.args) out.push_back(&w);
  return out;
}

class Cursor {
 public:
  Cursor(BuildContext& ctx, const conf::Statement& line, std::string_view what)
      : ctx_(ctx), words_(words_of(line)), what_(what) {}
  bool done() const { return i_ >= words_.size(); }
  const conf::Word& next() { return *words_[i_++]; }
  bool peek_is(std::string_view text) const { return !done() && words_[i_]->text == text; }
  // The value after option `opt`, or an error naming it.
  const conf::Word* value(const conf::Word& opt) {
    if (done()) {
      ctx_.error(opt.where, fmt::format("{} option '{}' needs a value", what_, opt.text));
      return nullptr;
    }
    return &next();
  }
  std::optional<std::uint64_t> number_value(const conf::Word& opt, std::uint64_t high) {
    const conf::Word* v = value(opt);
    if (!v) return std::nullopt;
    auto n = number(v->text);
    if (!n || *n > high) {
      ctx_.error(v->where, fmt::format("{} option '{}' value '{}' is not a number in 0-{}", what_,
                                       opt.text, v->text, high));
      return std::nullopt;
    }
    return n;
  }

 private:
  BuildContext& ctx_;
  std::vector<const conf::Word*> words_;
  std::string_view what_;
  std::size_t i_ = 0;
};

std::optional<IpPrefix> prefix_of(std::string_view text) {
  if (text == "default" || text == "all") return IpPrefix{IpAddress::unspecified(AddressFamily::V4), 0};
  return IpPrefix::parse(text);
}

std::optional<std::uint8_t> scope_of(std::string_view text) {
  if (text == "global" || text == "universe") return 0;
  if (text == "site") return 200;
  if (text == "link") return 253;
  if (text == "host") return 254;
  if (text == "nowhere") return 255;
  if (auto n = number(text); n && *n <= 255) return static_cast<std::uint8_t>(*n);
  return std::nullopt;
}

std::optional<std::uint8_t> protocol_of(std::string_view text) {
  static constexpr std::pair<std::string_view, std::uint8_t> kNames[] = {
      {"redirect", 1}, {"kernel", 2}, {"boot", 3},   {"static", 4},     {"gated", 8},
      {"ra", 9},       {"mrt", 10},   {"zebra", 11}, {"bird", 12},      {"dnrouted", 13},
      {"xorp", 14},    {"ntk", 15},   {"dhcp", 16},  {"keepalived", 18}, {"babel", 42},
      {"bgp", 186},    {"isis", 187}, {"ospf", 188}, {"rip", 189},      {"eigrp", 192}};
  for (const auto& [name, value] : kNames) {
    if (text == name) return value;
  }
  if (auto n = number(text); n && *n <= 255) return static_cast<std::uint8_t>(*n);
  return std::nullopt;
}

// Options of ip route / ip rule that keepalived 2.2.7 knows and lvsctl does not apply: refused
// (ignoring them would change what is forwarded).
constexpr std::string_view kRouteUnsupported[] = {
    "mtu",     "hoplimit",  "advmss",   "rtt",      "rttvar",   "reordering", "window",
    "cwnd",    "ssthresh",  "realms",   "rto_min",  "initcwnd", "initrwnd",   "features",
    "quickack", "congctl",  "pref",     "fastopen_no_cookie", "vrf", "track_group", "encap",
    "append",  "expires",   "ttl-propagate", "nhid", "as", "local", "broadcast", "multicast",
    "anycast", "nat"};
constexpr std::string_view kRuleUnsupported[] = {"not", "realms", "uidrange", "l3mdev",
                                                 "protocol", "ip_proto", "ipproto", "sport",
                                                 "dport", "suppress_prefixlength",
                                                 "suppress_ifgroup", "track_group", "nat", "nop"};

bool listed(std::span<const std::string_view> list, std::string_view word) {
  for (auto w : list) {
    if (w == word) return true;
  }
  return false;
}

bool same_family(const IpAddress& a, const IpPrefix& p) { return a.family() == p.address.family(); }

}  // namespace

std::optional<std::uint32_t> parse_route_table(std::string_view text) {
  if (text == "main") return 254;
  if (text == "local") return 255;
  if (text == "default") return 253;
  auto n = number(text);
  if (!n || *n == 0 || *n > 0xffffffffULL) return std::nullopt;
  return static_cast<std::uint32_t>(*n);
}

std::uint8_t IpRoute::effective_scope() const {
  // keepalived 2.2.7 installs every route with the scope written, else global (ip route would
  // give a route without a gateway scope link; keepalived does not).
  return scope.value_or(0);
}

std::string IpRoute::to_string() const {
  static constexpr std::string_view kTypes[] = {"", "blackhole ", "unreachable ", "prohibit ",
                                                "throw "};
  std::string out = fmt::format("{}{}", kTypes[static_cast<int>(type)], destination.to_string());
  for (const auto& nh : nexthops) {
    if (multipath) out += " nexthop";
    if (nh.via) out += " via " + nh.via->to_string();
    if (!nh.dev.empty()) out += " dev " + nh.dev;
  }
  if (src) out += " src " + src->to_string();
  if (table != 254) out += fmt::format(" table {}", table);
  if (metric) out += fmt::format(" metric {}", *metric);
  return out;
}

std::string IpRule::to_string() const {
  std::string out = "from " + (from ? from->to_string() : std::string("all"));
  if (to) out += " to " + to->to_string();
  if (fwmark) out += fmt::format(" fwmark {:#x}", *fwmark);
  if (!iif.empty()) out += " iif " + iif;
  if (!oif.empty()) out += " oif " + oif;
  switch (action) {
    case RuleAction::Table: out += fmt::format(" lookup {}", table); break;
    case RuleAction::Goto: out += fmt::format(" goto {}", goto_target); break;
    case RuleAction::Blackhole: out += " blackhole"; break;
    case RuleAction::Unreachable: out += " unreachable"; break;
    case RuleAction::Prohibit: out += " prohibit"; break;
  }
  return out + fmt::format(" pref {}", priority);
}

std::optional<IpRoute> read_route(BuildContext& ctx, const conf::Statement& line) {
  if (line.has_block) {
    ctx.error(line.keyword.where, "a route line does not take a { ... } block");
    return std::nullopt;
  }
  Cursor c(ctx, line, "route");
  IpRoute r;
  r.where = line.keyword.where;
  r.protocol = kProtoKeepalived;
  bool have_dest = false;
  bool inet6 = false;
  RouteNexthop main;          // the route's own via/dev/onlink
  std::vector<RouteNexthop> ors;    // `or ADDR`: gateways sharing the route's dev
  std::vector<RouteNexthop> extra;  // `nexthop ...`
  bool ok = true;
  auto address_value = [&](const conf::Word& opt) -> std::optional<IpAddress> {
    const conf::Word* v = c.value(opt);
    if (v && (v->text == "inet" || v->text == "inet6")) v = c.value(*v);
    if (!v) return std::nullopt;
    auto a = IpAddress::parse(v->text);
    if (!a) ctx.error(v->where, fmt::format("route {} '{}' is not an IP address", opt.text, v->text));
    return a;
  };
  while (!c.done() && ok) {
    const conf::Word& w = c.next();
    const std::string& k = w.text;
    if (k == "src") {
      auto a = address_value(w);
      ok = a.has_value();
      if (ok) r.src = *a;
    } else if (k == "via" || k == "gw") {
      if (k == "gw") ctx.warning(w.where, "\"gw\" for routes is deprecated. Please use \"via\" (as keepalived says)");
      auto a = address_value(w);
      ok = a.has_value();
      if (ok) main.via = *a;
    } else if (k == "or") {
      ctx.warning(w.where, "\"or\" for routes is deprecated. Please use \"nexthop\" (as keepalived "
                           "says; keepalived 2.2.7 then fails to install such a route, lvsctl "
                           "installs it as a multipath route)");
      auto a = address_value(w);
      ok = a.has_value();
      if (ok) ors.push_back({*a, {}, 1, false});
      r.multipath = true;
    } else if (k == "nexthop") {
      RouteNexthop nh;
      r.multipath = true;
      while (ok && !c.done() && !c.peek_is("nexthop")) {
        if (c.peek_is("via")) {
          const conf::Word& o = c.next();
          auto a = address_value(o);
          ok = a.has_value();
          if (ok) nh.via = *a;
        } else if (c.peek_is("dev")) {
          const conf::Word& o = c.next();
          const conf::Word* v = c.value(o);
          ok = v != nullptr;
          if (ok) nh.dev = v->text;
        } else if (c.peek_is("weight")) {
          const conf::Word& o = c.next();
          auto n = c.number_value(o, 256);
          ok = n && *n >= 1;
          if (n && *n == 0) ctx.error(o.where, "nexthop weight must be 1-256");
          if (ok) nh.weight = static_cast<unsigned>(*n);
        } else if (c.peek_is("onlink")) {
          c.next();
          nh.onlink = true;
        } else {
          break;
        }
      }
      extra.push_back(nh);
    } else if (k == "dev" || k == "oif") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok && v->text.size() >= 16) {
        ctx.error(v->where, fmt::format("interface name '{}' is longer than 15 characters", v->text));
        ok = false;
      }
      if (ok) main.dev = v->text;
    } else if (k == "table") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok) {
        auto t = parse_route_table(v->text);
        if (!t) {
          ctx.error(v->where, fmt::format("route table '{}' is not a number 1-4294967295 or "
                                          "main/local/default (names from rt_tables are not "
                                          "read)",
                                          v->text));
          ok = false;
        } else {
          r.table = *t;
        }
      }
    } else if (k == "metric" || k == "priority" || k == "preference") {
      auto n = c.number_value(w, 0xffffffffULL);
      ok = n.has_value();
      if (ok) r.metric = static_cast<std::uint32_t>(*n);
    } else if (k == "scope") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok) {
        r.scope = scope_of(v->text);
        if (!r.scope) {
          ctx.error(v->where, fmt::format("route scope '{}' is not one of "
                                          "global|site|link|host|nowhere or 0-255",
                                          v->text));
          ok = false;
        }
      }
    } else if (k == "protocol") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok) {
        auto p = protocol_of(v->text);
        if (!p) {
          ctx.error(v->where, fmt::format("route protocol '{}' is not a number 0-255 or a known "
                                          "name",
                                          v->text));
          ok = false;
        } else {
          r.protocol = *p;
        }
      }
    } else if (k == "tos" || k == "dsfield") {
      auto n = c.number_value(w, 255);
      ok = n.has_value();
      if (ok) r.tos = static_cast<std::uint8_t>(*n);
    } else if (k == "onlink") {
      main.onlink = true;
    } else if (k == "no_install") {
      r.no_install = true;
    } else if (k == "inet6") {
      inet6 = true;
    } else if (k == "inet") {
      inet6 = false;
    } else if (k == "unicast" || k == "blackhole" || k == "unreachable" || k == "prohibit" ||
               k == "throw") {
      r.type = k == "unicast"       ? RouteType::Unicast
               : k == "blackhole"   ? RouteType::Blackhole
               : k == "unreachable" ? RouteType::Unreachable
               : k == "prohibit"    ? RouteType::Prohibit
                                    : RouteType::Throw;
    } else if (listed(kRouteUnsupported, k)) {
      ctx.error(w.where, fmt::format("not supported yet: route option '{}' (the route would be "
                                     "installed differently)",
                                     k));
      ok = false;
    } else if (!have_dest) {
      const conf::Word* d = &w;
      if (k == "to") d = c.value(w);
      if (!d) return std::nullopt;
      auto p = prefix_of(d->text);
      if (!p) {
        ctx.warning(d->where, fmt::format("Invalid route destination '{}': keepalived skips this "
                                          "route line, and so does lvsctl",
                                          d->text));
        return std::nullopt;
      }
      r.destination = *p;
      have_dest = true;
    } else {
      // keepalived 2.2.7 ("unknown route keyword proto") skips the whole route.
      ctx.warning(w.where, fmt::format("unknown route keyword {} (keepalived's words): keepalived "
                                       "skips this route, and so does lvsctl (options: src, via, "
                                       "dev, table, metric, scope, protocol, tos, onlink, "
                                       "nexthop, no_install or a route type)",
                                       k));
      return std::nullopt;
    }
  }
  if (!ok) return std::nullopt;
  const bool has_dev = !main.dev.empty() ||
                       std::any_of(extra.begin(), extra.end(), [](const auto& nh) { return !nh.dev.empty(); });
  if (r.protocol != kProtoKeepalived && has_dev) {
    // keepalived tracks routes with an interface, and only its own protocol can be tracked.
    ctx.warning(line.keyword.where, "Route cannot be tracked if protocol is not "
                                    "RTPROT_KEEPALIVED(18), resetting protocol (keepalived's "
                                    "words; lvsctl installs it with protocol 18 too)");
    r.protocol = kProtoKeepalived;
  }
  if (!have_dest) {
    ctx.error(line.keyword.where, "route line has no destination");
    return std::nullopt;
  }
  if (inet6 && r.destination.length == 0 && r.destination.address.is_v4()) {
    r.destination.address = IpAddress::unspecified(AddressFamily::V6);
  }
  const IpPrefix& dest = r.destination;
  auto check_family = [&](const std::optional<IpAddress>& a, std::string_view what) {
    if (a && !same_family(*a, dest)) {
      ctx.error(r.where, fmt::format("route {}: {} {} is not of the destination's family",
                                     dest.to_string(), what, a->to_string()));
      ok = false;
    }
  };
  check_family(r.src, "src");
  check_family(main.via, "via");
  for (const auto& nh : ors) check_family(nh.via, "or");
  for (const auto& nh : extra) check_family(nh.via, "nexthop via");
  if (!ok) return std::nullopt;
  if (main.via || !main.dev.empty() || main.onlink) r.nexthops.push_back(main);
  // `or ADDR` gateways share the route's dev; `nexthop` entries carry their own.
  for (auto nh : ors) {
    nh.dev = main.dev;
    nh.onlink = main.onlink;
    r.nexthops.push_back(nh);
  }
  for (const auto& nh : extra) r.nexthops.push_back(nh);
  if (r.type != RouteType::Unicast && !r.nexthops.empty() &&
      (r.nexthops.size() > 1 || r.nexthops.front().via)) {
    ctx.error(r.where, fmt::format("a {} route has no gateway", line.keyword.text));
    return std::nullopt;
  }
  if (r.type == RouteType::Unicast && r.nexthops.empty()) {
    ctx.error(r.where, fmt::format("route {} needs 'via' or 'dev' (or a type: blackhole, "
                                   "unreachable, prohibit, throw)",
                                   dest.to_string()));
    return std::nullopt;
  }
  return r;
}

std::optional<IpRule> read_rule(BuildContext& ctx, const conf::Statement& line,
                                RulePriorities& priorities) {
  if (line.has_block) {
    ctx.error(line.keyword.where, "a rule line does not take a { ... } block");
    return std::nullopt;
  }
  Cursor c(ctx, line, "rule");
  IpRule r;
  r.where = line.keyword.where;
  bool ok = true;
  bool inet6 = false;
  while (!c.done() && ok) {
    const conf::Word& w = c.next();
    const std::string& k = w.text;
    if (k == "from" || k == "to") {
      const conf::Word* v = c.value(w);
      if (!v) return std::nullopt;
      if (v->text == "all") continue;
      auto p = IpPrefix::parse(v->text);
      if (!p) {
        // keepalived 2.2.7: "Invalid rule to address 192.168.100./24", and the line is skipped.
        ctx.warning(v->where, fmt::format("Invalid rule {} address {} (keepalived's words): "
                                          "keepalived skips this rule, and so does lvsctl",
                                          k, v->text));
        return std::nullopt;
      }
      (k == "from" ? r.from : r.to) = *p;
    } else if (k == "table" || k == "lookup") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok) {
        auto t = parse_route_table(v->text);
        if (!t) {
          ctx.error(v->where, fmt::format("rule table '{}' is not a number 1-4294967295 or "
                                          "main/local/default",
                                          v->text));
          ok = false;
        } else {
          r.table = *t;
        }
      }
    } else if (k == "priority" || k == "preference" || k == "order") {  // not `pref`
      auto n = c.number_value(w, 0xffffffffULL);
      ok = n.has_value();
      if (ok) {
        r.priority = static_cast<std::uint32_t>(*n);
        r.priority_given = true;
      }
    } else if (k == "fwmark") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok) {
        const std::string_view text = v->text;
        const auto slash = text.find('/');
        auto mark = number(text.substr(0, slash));
        std::optional<std::uint64_t> mask;
        if (slash != std::string_view::npos) mask = number(text.substr(slash + 1));
        if (!mark || *mark > 0xffffffffULL ||
            (slash != std::string_view::npos && (!mask || *mask > 0xffffffffULL))) {
          ctx.error(v->where, fmt::format("rule fwmark '{}' is not MARK or MARK/MASK", text));
          ok = false;
        } else {
          r.fwmark = static_cast<std::uint32_t>(*mark);
          if (mask) r.fwmask = static_cast<std::uint32_t>(*mask);
        }
      }
    } else if (k == "iif" || k == "dev" || k == "oif") {
      const conf::Word* v = c.value(w);
      ok = v != nullptr;
      if (ok && v->text.size() >= 16) {
        ctx.error(v->where, fmt::format("interface name '{}' is longer than 15 characters", v->text));
        ok = false;
      }
      if (ok) (k == "oif" ? r.oif : r.iif) = v->text;
    } else if (k == "tos" || k == "dsfield") {
      auto n = c.number_value(w, 255);
      ok = n.has_value();
      if (ok) r.tos = static_cast<std::uint8_t>(*n);
    } else if (k == "goto") {
      auto n = c.number_value(w, 0xffffffffULL);
      ok = n.has_value();
      if (ok) {
        r.action = RuleAction::Goto;
        r.goto_target = static_cast<std::uint32_t>(*n);
      }
    } else if (k == "blackhole" || k == "unreachable" || k == "prohibit") {
      r.action = k == "blackhole"     ? RuleAction::Blackhole
                 : k == "unreachable" ? RuleAction::Unreachable
                                      : RuleAction::Prohibit;
    } else if (k == "inet6") {
      inet6 = true;
    } else if (k == "inet") {
      inet6 = false;
    } else if (listed(kRuleUnsupported, k)) {
      ctx.error(w.where, fmt::format("not supported yet: rule option '{}' (the rule would "
                                     "match differently)",
                                     k));
      ok = false;
    } else {
      // keepalived 2.2.7 ("Unknown rule option pref") skips the whole rule.
      ctx.warning(w.where, fmt::format("Unknown rule option {} (keepalived's words): keepalived "
                                       "skips this rule, and so does lvsctl (options: from, to, "
                                       "table, priority, preference, fwmark, iif, oif, tos, "
                                       "goto, blackhole, unreachable, prohibit)",
                                       k));
      return std::nullopt;
    }
  }
  if (!ok) return std::nullopt;
  if (r.from && r.to && r.from->address.family() != r.to->address.family()) {
    ctx.error(r.where, fmt::format("rule from {} and to {} are of different families",
                                   r.from->to_string(), r.to->to_string()));
    return std::nullopt;
  }
  if (r.from) {
    r.family = r.from->address.family();
  } else if (r.to) {
    r.family = r.to->address.family();
  } else {
    r.family = inet6 ? AddressFamily::V6 : AddressFamily::V4;
  }
  if (!r.priority_given) {
    std::uint32_t& next = r.family == AddressFamily::V4 ? priorities.next_v4 : priorities.next_v6;
    r.priority = next;
    if (next > 1) --next;
    ctx.warning(r.where, fmt::format("Rule has no preference specified - setting to {}, as "
                                     "keepalived does. This is probably not what you want "
                                     "(keepalived's words): give it a 'priority'",
                                     r.priority));
  }
  return r;
}

}  // namespace lvsctl::director::config
