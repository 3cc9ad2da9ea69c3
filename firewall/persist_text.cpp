#include "firewall/persist_text.hpp"

#include <fmt/format.h>

#include "firewall/iptables_rules.hpp"

namespace lvsctl::firewall {
namespace {

constexpr std::string_view kIncludeComment =
    "# lvsctl firewall allow-vrrp --persist: accept VRRP (IP protocol 112)";

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    out.emplace_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

bool includes(const std::string& line, std::string_view path) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string::npos || line.compare(first, 7, "include") != 0) return false;
  return line.find(fmt::format("\"{}\"", path)) != std::string::npos;
}

bool is_our_iptables_line(const std::string& line) {
  if (line.rfind("-A ", 0) != 0) return false;
  const auto tokens = split_save_line(line);
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i] == "--comment" && tokens[i + 1] == kRuleTag) return true;
  }
  return false;
}

}  // namespace

std::string render_nft_include(const std::vector<ChainReport>& chains) {
  std::string s =
      "# Written by `lvsctl firewall allow-vrrp --persist`: accept VRRP (IP protocol 112) on\n"
      "# input, at the top of every input chain that can drop. Included at the end of\n"
      "# /etc/nftables.conf; `lvsctl firewall revoke-vrrp --persist` removes it.\n";
  for (const auto& c : chains) {
    if (c.backend != Backend::Nftables || c.rules.empty()) continue;
    if (c.action != "insert" && c.action != "replace" && c.action != "keep") continue;
    s += fmt::format("add table {} {}\n", c.family, c.table);
    s += fmt::format("add chain {} {} {}\n", c.family, c.table, c.chain);
    // `insert` puts a rule at the top: the last rule first keeps their order.
    for (auto it = c.rules.rbegin(); it != c.rules.rend(); ++it) {
      s += fmt::format("insert rule {} {} {} {} comment \"{}\"\n", c.family, c.table, c.chain, *it,
                       kRuleTag);
    }
  }
  return s;
}

std::string add_nft_include(std::string_view conf, std::string_view path) {
  auto lines = lines_of(conf);
  for (const auto& l : lines) {
    if (includes(l, path)) return std::string(conf);
  }
  std::string out(conf);
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += fmt::format("{}\ninclude \"{}\"\n", kIncludeComment, path);
  return out;
}

std::string remove_nft_include(std::string_view conf, std::string_view path) {
  auto lines = lines_of(conf);
  std::vector<std::string> kept;
  bool changed = false;
  for (const auto& l : lines) {
    if (includes(l, path)) {
      changed = true;
      if (!kept.empty() && kept.back() == kIncludeComment) kept.pop_back();
      continue;
    }
    kept.push_back(l);
  }
  return changed ? join_lines(kept) : std::string(conf);
}

std::string strip_iptables_file(std::string_view text) {
  auto lines = lines_of(text);
  std::vector<std::string> kept;
  bool changed = false;
  for (const auto& l : lines) {
    if (is_our_iptables_line(l)) {
      changed = true;
      continue;
    }
    kept.push_back(l);
  }
  return changed ? join_lines(kept) : std::string(text);
}

std::string update_iptables_file(std::string_view text, AddressFamily v, const VrrpRequest& request) {
  const std::string stripped = strip_iptables_file(text);
  auto lines = lines_of(stripped);
  std::vector<std::string> ours;
  for (const auto& args : ipt_vrrp_rules(v, request)) {
    ours.push_back(fmt::format("-A INPUT {}", fmt::join(args, " ")));
  }
  // Locate the filter section and, within it, where our lines go.
  std::size_t filter_start = lines.size(), commit = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "*filter") {
      filter_start = i;
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        if (lines[j] == "COMMIT") {
          commit = j;
          break;
        }
      }
      break;
    }
  }
  if (filter_start == lines.size()) {
    lines.emplace_back("*filter");
    lines.emplace_back(":INPUT ACCEPT [0:0]");
    lines.insert(lines.end(), ours.begin(), ours.end());
    lines.emplace_back("COMMIT");
    return join_lines(lines);
  }
  std::string section;
  for (std::size_t i = filter_start; i < commit && i < lines.size(); ++i) section += lines[i] + "\n";
  auto table = parse_iptables_save(section);
  std::size_t insert_at = commit;  // default: before COMMIT
  std::size_t last_input = 0, last_decl = filter_start;
  bool found_drop = false;
  int input_seen = 0;
  const IptPlan plan = table ? ipt_plan_allow(*table, v, request) : IptPlan{};
  for (std::size_t i = filter_start + 1; i < commit && i < lines.size(); ++i) {
    if (!lines[i].empty() && lines[i][0] == ':') last_decl = i;
    if (lines[i].rfind("-A INPUT ", 0) == 0) {
      ++input_seen;
      last_input = i;
      if (!found_drop && table && plan.needed && input_seen == plan.insert_at) {
        insert_at = i;
        found_drop = true;
      }
    }
  }
  if (!found_drop) insert_at = last_input ? last_input + 1 : last_decl + 1;
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(insert_at), ours.begin(), ours.end());
  return join_lines(lines);
}

}  // namespace lvsctl::firewall
