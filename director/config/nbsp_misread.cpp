#include "director/config/nbsp_misread.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

namespace lvsctl::director::config {
namespace {

bool glued_args(const conf::Statement& s) {
  for (const auto& a : s.args) {
    if (a.nbsp_before) return true;
  }
  return false;
}

std::string head(const conf::Statement& s) {
  std::string out = s.keyword.text;
  for (const auto& a : s.args) {
    out += ' ';
    out += a.text;
  }
  return out;
}

// What keepalived runs once the `lost` statements of `owner`'s block are gone.
std::string consequence(const conf::Statement& owner, const std::vector<const conf::Statement*>& lost) {
  const std::string name = head(owner);
  auto lost_keyword = [&](std::string_view kw) {
    for (const auto* s : lost) {
      if (s->keyword.text == kw) return true;
    }
    return false;
  };
  if (owner.keyword.text == "virtual_server") {
    std::size_t servers = 0;
    std::size_t gone = 0;
    for (const auto& s : owner.block) {
      if (s.keyword.text != "real_server") continue;
      ++servers;
      for (const auto* l : lost) gone += l == &s ? 1U : 0U;
    }
    if (servers != 0 && gone == servers) {
      return fmt::format("{} ends up with no real servers, and keepalived ignores it", name);
    }
    if (gone != 0) {
      return fmt::format("{} keeps {} of its {} real servers", name, servers - gone, servers);
    }
  }
  if (owner.keyword.text == "vrrp_script" && lost_keyword("script")) {
    return fmt::format("{} loses its script: keepalived removes it, and instances that track it "
                       "ignore it",
                       name);
  }
  if (owner.keyword.text == "vrrp_instance" && lost_keyword("virtual_ipaddress")) {
    return fmt::format("{} runs without its virtual_ipaddress block", name);
  }
  return {};
}

void walk(BuildContext& ctx, const conf::Statement& owner, std::string_view owner_name) {
  std::vector<const conf::Statement*> lost;     // keyword glued: an unknown keyword
  std::vector<const conf::Statement*> misread;  // a value glued to the word before it
  for (const auto& s : owner.block) {
    if (s.keyword.nbsp_before) {
      lost.push_back(&s);
    } else if (glued_args(s)) {
      misread.push_back(&s);
    }
  }
  if (!lost.empty() || !misread.empty()) {
    std::string text = fmt::format("{}: U+00A0 no-break spaces, which lvsctl reads as spaces but "
                                   "keepalived 2.2.7 reads as part of a word",
                                   owner_name);
    if (!lost.empty()) {
      std::vector<std::string> items;
      for (const auto* s : lost) {
        items.push_back(fmt::format("'{}' (line {})", s->keyword.text, s->keyword.where.line));
      }
      text += fmt::format("; keepalived reads {} as unknown keyword{} and ignores {}{}",
                          fmt::join(items, ", "), lost.size() == 1 ? "" : "s",
                          lost.size() == 1 ? "it" : "them",
                          lost.front()->has_block ? " with its block" : "");
    }
    if (!misread.empty()) {
      std::vector<std::string> items;
      for (const auto* s : misread) {
        items.push_back(fmt::format("'{}' (line {})", s->keyword.text, s->keyword.where.line));
      }
      text += fmt::format("; keepalived glues the values of {} to the word before them",
                          fmt::join(items, ", "));
    }
    if (const std::string c = consequence(owner, lost); !c.empty()) text += ": " + c;
    text += "; replace them with plain spaces";
    const Location& at = !lost.empty() ? lost.front()->keyword.where : misread.front()->keyword.where;
    ctx.warning(at, std::move(text));
  }
  for (const auto& s : owner.block) {
    if (s.has_block && !s.keyword.nbsp_before) walk(ctx, s, head(s));
  }
}

}  // namespace

void report_nbsp_misreads(BuildContext& ctx, const conf::Statement& top) {
  if (top.keyword.nbsp_before || glued_args(top)) {
    ctx.warning(top.keyword.where,
                fmt::format("'{}': U+00A0 no-break spaces, which lvsctl reads as spaces but "
                            "keepalived 2.2.7 reads as part of a word: keepalived {} this "
                            "line{}; replace them with plain spaces",
                            top.keyword.text,
                            top.keyword.nbsp_before ? "ignores" : "misreads the values of",
                            top.keyword.nbsp_before && top.has_block ? " and its block" : ""));
    if (top.keyword.nbsp_before) return;
  }
  if (top.has_block) walk(ctx, top, head(top));
}

}  // namespace lvsctl::director::config
