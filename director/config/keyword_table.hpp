#pragma once
// Internal to the config builder: each block of keepalived.conf is described by a table of the
// keywords it accepts (with the handler that reads each into the model), the deprecated
// spellings it still accepts, and the keywords keepalived knows there but lvsctl does not
// implement. apply_keywords() walks a block's statements through its table; everything not in
// the table is reported with file:line:col (and a "did you mean" suggestion).
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "director/config/build_context.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

enum class BlockUse : std::uint8_t {
  None,      // `keyword args`
  Required,  // `keyword args { ... }`
  Optional,
};

template <typename Target>
struct Keyword {
  std::string_view name;
  void (*apply)(BuildContext&, const conf::Statement&, Target&);
  BlockUse block = BlockUse::None;
  // Non-empty: `name` is a deprecated spelling of this keyword (accepted with a warning).
  std::string_view replaced_by = {};
};

// What a block does with keywords outside its table.
struct BlockRules {
  std::string_view block;  // for messages: "vrrp_instance", "TCP_CHECK"
  // Keywords keepalived 2.2.7 accepts here that lvsctl does not implement.
  std::span<const std::string_view> unsupported;
  // global_defs: unsupported keywords are warnings (ignored, named); elsewhere errors.
  bool unsupported_is_warning = false;
};

// Edit distance (optimal string alignment) used for suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest of `candidates` to `word`, or empty when none is close enough.
std::string_view nearest_keyword(std::string_view word,
                                 const std::vector<std::string_view>& candidates);

// Like nearest_keyword, for a word with a `{ }` block (a block name): a few more edits allowed
// when the ends or the starts of the words agree (`bal_defs` -> `global_defs`).
std::string_view nearest_block_keyword(std::string_view word,
                                       const std::vector<std::string_view>& candidates);

// An unsupported keyword that lvsctl ignores with a warning, and what is lost by ignoring it.
struct IgnoredKeyword {
  std::string_view name;
  std::string_view why;
};
// Why `keyword` (when a block lists it as unsupported) is only a warning; empty when ignoring it
// would change what is forwarded or who holds a VIP (then it is an error outside global_defs).
std::string_view ignored_reason(std::string_view keyword);
std::span<const IgnoredKeyword> ignored_keywords();

// Reports a keyword outside the table: unsupported (error or warning) or unknown (error with
// the nearest of `known` suggested).
// For a keyword read and kept in the model that lvsctl does not act on (kIgnored gives why):
// the same warning as an ignored keyword, noting that its value was read and checked.
void warn_kept_not_acted_on(BuildContext& ctx, const conf::Statement& s, std::string_view block);
void report_unhandled(BuildContext& ctx, const conf::Statement& s, const BlockRules& rules,
                      const std::vector<std::string_view>& known);
// Reports a missing/unexpected `{ }` block; false when the shape is wrong.
bool check_block_use(BuildContext& ctx, const conf::Statement& s, BlockUse use);
// `nb_get_retry N` where keepalived 2.2.7 does not know it (TCP_CHECK, MISC_CHECK, virtual_server,
// real_server): it ignores the line, lvsctl applies it as `retry N`.
void report_keepalived_ignores_nb_get_retry(BuildContext& ctx, const conf::Statement& s,
                                            std::string_view block);
void report_deprecated(BuildContext& ctx, const conf::Statement& s, std::string_view replaced_by);

// One block's keywords as its table and rules hold them.
struct BlockKeywords {
  std::vector<std::string> handled;      // in the table: read into the model
  std::vector<std::string> unsupported;  // keepalived knows them here, lvsctl does not implement
  bool unsupported_is_warning = false;
};

// For docs and tests (tests/unit/config_compat_doc_test.cpp checks docs/keepalived-compat.md
// against it): while one is alive, apply_keywords records the table and rules of every block it
// walks, by BlockRules::block. One at a time, on one thread; when none is alive apply_keywords
// only tests a pointer.
class KeywordCatalogue {
 public:
  KeywordCatalogue();
  ~KeywordCatalogue();
  KeywordCatalogue(const KeywordCatalogue&) = delete;
  KeywordCatalogue& operator=(const KeywordCatalogue&) = delete;

  static KeywordCatalogue* active();
  void record(const BlockRules& rules, const std::vector<std::string_view>& handled);
  const std::map<std::string, BlockKeywords, std::less<>>& blocks() const { return blocks_; }

 private:
  std::map<std::string, BlockKeywords, std::less<>> blocks_;
};

template <typename Target>
void apply_keywords(BuildContext& ctx, std::span<const conf::Statement> statements,
                    std::span<const Keyword<Target>> table, const BlockRules& rules,
                    Target& target) {
  if (KeywordCatalogue* catalogue = KeywordCatalogue::active()) {
    std::vector<std::string_view> names;
    for (const auto& k : table) names.push_back(k.name);
    catalogue->record(rules, names);
  }
  for (const conf::Statement& s : statements) {
    const Keyword<Target>* match = nullptr;
    for (const auto& k : table) {
      if (k.name == s.keyword.text) {
        match = &k;
        break;
      }
    }
    if (match == nullptr) {
      std::vector<std::string_view> known;
      known.reserve(table.size());
      for (const auto& k : table) known.push_back(k.name);
      report_unhandled(ctx, s, rules, known);
      continue;
    }
    if (!match->replaced_by.empty()) report_deprecated(ctx, s, match->replaced_by);
    if (!check_block_use(ctx, s, match->block)) continue;
    match->apply(ctx, s, target);
  }
}

}  // namespace lvsctl::director::config
