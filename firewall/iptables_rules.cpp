#include "firewall/iptables_rules.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace lvsctl::firewall {
namespace {

constexpr int kMaxDepth = 16;

bool is_builtin(std::string_view chain) {
  return chain == "INPUT" || chain == "OUTPUT" || chain == "FORWARD" || chain == "PREROUTING" ||
         chain == "POSTROUTING";
}

bool is_vrrp_proto(std::string_view p) { return p == "vrrp" || p == "112"; }

enum class Match { Yes, No, Unknown };

Match negate(Match m, bool neg) {
  if (!neg || m == Match::Unknown) return m;
  return m == Match::Yes ? Match::No : Match::Yes;
}

// addr[/len] against an address of the packet's version.
Match prefix_match(std::string_view spec, const std::uint8_t* addr, AddressFamily v) {
  std::string s(spec);
  int len = v == AddressFamily::V4 ? 32 : 128;
  if (auto slash = s.find('/'); slash != std::string::npos) {
    const std::string l = s.substr(slash + 1);
    s = s.substr(0, slash);
    std::uint8_t mask[16];
    if (l.find_first_not_of("0123456789") == std::string::npos && !l.empty()) {
      len = std::stoi(l);
    } else if (v == AddressFamily::V4 && inet_pton(AF_INET, l.c_str(), mask) == 1) {
      len = 0;
      for (int i = 0; i < 4; ++i) len += __builtin_popcount(mask[i]);
    } else {
      return Match::Unknown;
    }
  }
  std::uint8_t want[16] = {};
  if (inet_pton(v == AddressFamily::V4 ? AF_INET : AF_INET6, s.c_str(), want) != 1) return Match::No;
  for (int bit = 0; bit < len; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((want[byte] & mask) != (addr[byte] & mask)) return Match::No;
  }
  return Match::Yes;
}

Match iface_match(std::string_view spec, const std::optional<std::string>& iface) {
  if (!iface) {
    // A VRRP advert never arrives on loopback.
    if (spec == "lo") return Match::No;
    return Match::Unknown;
  }
  if (!spec.empty() && spec.back() == '+') {
    return iface->compare(0, spec.size() - 1, spec.substr(0, spec.size() - 1)) == 0 ? Match::Yes
                                                                                    : Match::No;
  }
  return *iface == spec ? Match::Yes : Match::No;
}

bool lists_new(std::string_view states) {
  std::size_t pos = 0;
  while (pos <= states.size()) {
    const auto comma = states.find(',', pos);
    const auto item = states.substr(pos, comma == std::string_view::npos ? states.npos : comma - pos);
    if (item == "NEW") return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

// Evaluates the match part of a rule's arguments against a VRRP advert.
Match evaluate_matches(const IptRule& rule, const VrrpPacket& p) {
  Match result = Match::Yes;
  auto fold = [&](Match m) {
    if (m == Match::No) result = Match::No;
    else if (m == Match::Unknown && result == Match::Yes) result = Match::Unknown;
  };
  const auto& a = rule.args;
  bool neg = false;
  std::string module;
  const std::uint8_t group4[4] = {224, 0, 0, 18};
  const std::uint8_t group6[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};
  for (std::size_t i = 0; i < a.size() && result != Match::No; ++i) {
    const std::string& t = a[i];
    const std::string next = i + 1 < a.size() ? a[i + 1] : "";
    if (t == "!") {
      neg = true;
      continue;
    }
    if (t == "-j" || t == "-g" || t == "--jump" || t == "--goto") break;  // target from here on
    if (t == "-i" || t == "--in-interface") {
      fold(negate(iface_match(next, p.iifname), neg));
      ++i;
    } else if (t == "-s" || t == "--source") {
      fold(p.source ? negate(prefix_match(next, p.source->bytes().data(), p.version), neg)
                    : Match::Unknown);
      ++i;
    } else if (t == "-d" || t == "--destination") {
      fold(negate(prefix_match(next, p.version == AddressFamily::V4 ? group4 : group6, p.version), neg));
      ++i;
    } else if (t == "-p" || t == "--protocol") {
      const bool any = next == "all" || next == "0";
      fold(negate(any || is_vrrp_proto(next) ? Match::Yes : Match::No, neg));
      ++i;
    } else if (t == "-m" || t == "--match") {
      module = next;
      ++i;
    } else if (t == "--comment") {
      ++i;
    } else if ((t == "--state" && module == "state") || (t == "--ctstate" && module == "conntrack")) {
      // A VRRP advert is multicast and never answered: conntrack sees it as NEW.
      fold(negate(lists_new(next) ? Match::Yes : Match::No, neg));
      ++i;
    } else if (t == "--pkt-type" && module == "pkttype") {
      fold(negate(next == "multicast" ? Match::Yes : Match::No, neg));
      ++i;
    } else if (t == "-f" || t == "--fragment") {
      fold(negate(Match::No, neg));
    } else {
      // An option we do not model; its value (if any) is skipped by the next iteration's checks.
      fold(Match::Unknown);
      if (!next.empty() && next[0] != '-' && next != "!") ++i;
    }
    neg = false;
  }
  return result;
}

struct Walk {
  const IptTable& table;
  const VrrpPacket& packet;
  std::optional<IptVerdict> uncertain;

  std::optional<IptVerdict> run(std::string_view chain, int depth) {
    if (depth > kMaxDepth) return IptVerdict{Outcome::Unknown, {}, {}, "jump depth exceeded", false};
    for (const IptRule* rule : table.rules_of(chain)) {
      if (rule->target.empty()) continue;
      const Match m = evaluate_matches(*rule, packet);
      if (m == Match::No) continue;
      IptVerdict here{Outcome::Unknown, rule->chain, rule->number, rule->text, rule->ours};
      const std::string& t = rule->target;
      if (t == "ACCEPT" || t == "DROP" || t == "REJECT") {
        here.outcome = t == "ACCEPT" ? Outcome::Accepted : Outcome::Dropped;
        if (m == Match::Unknown) {
          if (!uncertain) uncertain = here;
          continue;
        }
        return here;
      }
      const bool user_chain = table.find_chain(t) != nullptr && !is_builtin(t);
      if (t == "RETURN" || user_chain) {
        if (m == Match::Unknown) {
          if (!uncertain) uncertain = here;
          continue;
        }
        if (t == "RETURN") return std::nullopt;
        if (auto sub = run(t, depth + 1)) return sub;
        continue;
      }
      // LOG, MARK, ...: non-terminating targets.
    }
    return std::nullopt;
  }
};

bool can_drop_chain(const IptTable& table, std::string_view chain, int depth) {
  if (depth > kMaxDepth) return true;
  for (const IptRule* r : table.rules_of(chain)) {
    if (r->target == "DROP" || r->target == "REJECT") return true;
    if (!is_builtin(r->target) && table.find_chain(r->target) &&
        can_drop_chain(table, r->target, depth + 1)) {
      return true;
    }
  }
  return false;
}

// Our rule's identity: (interface, source, protocol ok) from its arguments.
std::string rule_key(const std::vector<std::string>& args) {
  std::string iface, source;
  bool proto = false;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "-i") iface = args[i + 1];
    if (args[i] == "-s") {
      source = args[i + 1];
      if (source.size() > 3 && source.ends_with("/32")) source.resize(source.size() - 3);
      if (source.size() > 4 && source.ends_with("/128")) source.resize(source.size() - 4);
    }
    if (args[i] == "-p") proto = is_vrrp_proto(args[i + 1]);
    if (args[i] == "!") return "negated";
  }
  return fmt::format("{}|{}|{}", iface, source, proto);
}

}  // namespace

const IptChain* IptTable::find_chain(std::string_view name) const {
  for (const auto& c : chains) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<const IptRule*> IptTable::rules_of(std::string_view chain) const {
  std::vector<const IptRule*> out;
  for (const auto& r : rules) {
    if (r.chain == chain) out.push_back(&r);
  }
  return out;
}

std::vector<std::string> split_save_line(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool in_token = false, quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\\' && i + 1 < line.size()) {
        cur += line[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
      in_token = true;
    } else if (c == ' ' || c == '\t') {
      if (in_token) out.push_back(std::move(cur));
      cur.clear();
      in_token = false;
    } else {
      cur += c;
      in_token = true;
    }
  }
  if (in_token) out.push_back(std::move(cur));
  return out;
}

Result<IptTable> parse_iptables_save(std::string_view text) {
  IptTable table;
  bool in_filter = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '*') {
      in_filter = line == "*filter";
      continue;
    }
    if (!in_filter || line == "COMMIT") continue;
    if (line[0] == ':') {
      const auto tokens = split_save_line(line.substr(1));
      if (tokens.empty()) return Error{fmt::format("iptables-save line {}: '{}'", line_no, line)};
      IptChain c{tokens[0], std::nullopt};
      if (tokens.size() > 1 && tokens[1] != "-") c.policy = tokens[1];
      table.chains.push_back(std::move(c));
      continue;
    }
    auto tokens = split_save_line(line);
    if (tokens.size() < 2 || tokens[0] != "-A") {
      return Error{fmt::format("iptables-save line {}: unexpected '{}'", line_no, line)};
    }
    IptRule r;
    r.chain = tokens[1];
    r.args.assign(tokens.begin() + 2, tokens.end());
    r.text = std::string(line);
    for (std::size_t i = 0; i + 1 < r.args.size(); ++i) {
      if (r.args[i] == "-j" || r.args[i] == "-g") r.target = r.args[i + 1];
      if (r.args[i] == "--comment" && r.args[i + 1] == kRuleTag) r.ours = true;
    }
    r.number = static_cast<int>(table.rules_of(r.chain).size()) + 1;
    table.rules.push_back(std::move(r));
  }
  return table;
}

bool ipt_can_drop(const IptTable& table, std::string_view chain) {
  const IptChain* c = table.find_chain(chain);
  if (c && c->policy && *c->policy == "DROP") return true;
  return can_drop_chain(table, chain, 0);
}

std::vector<std::vector<std::string>> ipt_vrrp_rules(AddressFamily v, const VrrpRequest& request) {
  std::vector<std::vector<std::string>> out;
  auto one = [&](const IpAddress* peer) {
    std::vector<std::string> a;
    if (request.interface) a.insert(a.end(), {"-i", *request.interface});
    a.insert(a.end(), {"-p", "112"});
    if (peer) a.insert(a.end(), {"-s", peer->to_string()});
    a.insert(a.end(), {"-m", "comment", "--comment", std::string(kRuleTag), "-j", "ACCEPT"});
    out.push_back(std::move(a));
  };
  const auto peers = request.peers_of(v);
  if (peers.empty()) {
    one(nullptr);
  } else {
    for (const auto& p : peers) one(&p);
  }
  return out;
}

IptPlan ipt_plan_allow(const IptTable& table, AddressFamily v, const VrrpRequest& request) {
  IptPlan plan;
  if (!table.find_chain("INPUT") || !ipt_can_drop(table, "INPUT")) return plan;
  plan.needed = true;
  const auto want = ipt_vrrp_rules(v, request);
  const auto rules = table.rules_of("INPUT");
  // First rule (other than ours) that can drop or reject.
  int first_drop = static_cast<int>(rules.size()) + 1;
  for (const IptRule* r : rules) {
    if (r->ours) continue;
    const bool drops = r->target == "DROP" || r->target == "REJECT" ||
                       (!is_builtin(r->target) && table.find_chain(r->target) &&
                        can_drop_chain(table, r->target, 0));
    if (drops) {
      first_drop = r->number;
      break;
    }
  }
  std::vector<const IptRule*> ours;
  for (const IptRule* r : rules) {
    if (r->ours) ours.push_back(r);
  }
  // In place: the same rules, consecutive, all before the first dropping rule.
  bool keep = ours.size() == want.size() && !ours.empty();
  for (std::size_t i = 0; keep && i < ours.size(); ++i) {
    keep = rule_key(ours[i]->args) == rule_key(want[i]) && ours[i]->number < first_drop &&
           (i == 0 || ours[i]->number == ours[i - 1]->number + 1);
  }
  if (keep) {
    plan.keep = true;
    return plan;
  }
  int removed_before = 0;
  for (auto it = ours.rbegin(); it != ours.rend(); ++it) {
    plan.delete_numbers.push_back((*it)->number);
    if ((*it)->number < first_drop) ++removed_before;
  }
  plan.insert_at = first_drop - removed_before;
  plan.insert = want;
  return plan;
}

std::vector<int> ipt_plan_revoke(const IptTable& table, std::string_view chain) {
  std::vector<int> out;
  for (const IptRule* r : table.rules_of(chain)) {
    if (r->ours) out.push_back(r->number);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

IptVerdict ipt_judge(const IptTable& table, const VrrpPacket& packet) {
  Walk walk{table, packet, std::nullopt};
  auto decided = walk.run("INPUT", 0);
  IptVerdict result;
  if (decided) {
    result = *decided;
  } else {
    const IptChain* c = table.find_chain("INPUT");
    const bool drop = c && c->policy && *c->policy == "DROP";
    result.outcome = drop ? Outcome::Dropped : Outcome::Accepted;
    result.rule_text = drop ? "policy DROP" : "policy ACCEPT";
  }
  if (walk.uncertain && walk.uncertain->outcome != result.outcome) {
    IptVerdict u = *walk.uncertain;
    u.outcome = Outcome::Unknown;
    u.rule_text = "depends on '" + u.rule_text + "', else " + result.rule_text;
    return u;
  }
  return result;
}

}  // namespace lvsctl::firewall
