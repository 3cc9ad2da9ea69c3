#include "director/config/keyword_table.hpp"

#include <algorithm>

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

std::string_view nearest_keyword(std::string_view word,
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
  // Close enough: at most a third of the word's length, and never more than 3 edits.
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  if (best.empty() || best_distance > limit) return {};
  return best;
}

// Unsupported keywords that only feed alerting/monitoring (e-mail, SNMP): ignoring them changes
// nothing on the wire or in IPVS, so they are warnings in every block, not errors.
constexpr std::string_view kAlertingOnly[] = {"smtp_alert", "snmp_name"};

void report_unhandled(BuildContext& ctx, const conf::Statement& s, const BlockRules& rules,
                      const std::vector<std::string_view>& known) {
  const std::string& kw = s.keyword.text;
  if (std::find(rules.unsupported.begin(), rules.unsupported.end(), kw) !=
      rules.unsupported.end()) {
    if (std::find(std::begin(kAlertingOnly), std::end(kAlertingOnly), kw) !=
        std::end(kAlertingOnly)) {
      ctx.warning(s.keyword.where,
                  fmt::format("'{}' in {} is ignored: lvsctl sends no e-mail or SNMP alerts (use "
                              "notify scripts)",
                              kw, rules.block));
    } else if (rules.unsupported_is_warning) {
      ctx.warning(
          s.keyword.where,
          fmt::format("'{}' in {} is not supported by lvsctl yet and is ignored", kw, rules.block));
    } else {
      ctx.error(s.keyword.where, fmt::format("not supported yet: {} (in {})", kw, rules.block));
    }
    return;
  }
  std::vector<std::string_view> candidates = known;
  candidates.insert(candidates.end(), rules.unsupported.begin(), rules.unsupported.end());
  const std::string_view hint = nearest_keyword(kw, candidates);
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

void report_deprecated(BuildContext& ctx, const conf::Statement& s, std::string_view replaced_by) {
  ctx.warning(s.keyword.where,
              fmt::format("'{}' is deprecated; use '{}'", s.keyword.text, replaced_by));
}

}  // namespace lvsctl::director::config
