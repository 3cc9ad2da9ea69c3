// vrrp_script blocks.
#include <algorithm>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

// ---- vrrp_script ---------------------------------------------------------------------------

void vs_script(BuildContext& ctx, S s, VrrpScript& v) {
  if (auto c = ctx.command_line(s)) v.script = *c;
}
void vs_interval(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 1, 4294)) v.interval = std::chrono::seconds(*n);
}
void vs_timeout(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 1, 4294)) v.timeout = std::chrono::seconds(*n);
}
void vs_weight(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 2)) return;
  if (auto n = ctx.signed_arg(s, 0, -253, 253)) v.weight = static_cast<int>(*n);
  if (s.args.size() == 2) {
    if (s.args[1].text == "reverse") {
      v.weight_reverse = true;
    } else {
      ctx.error(s.args[1].where,
                fmt::format("unexpected '{}' after weight (expected 'reverse')", s.args[1].text));
    }
  }
}
void vs_rise(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 1, 2147483647)) v.rise = static_cast<unsigned>(*n);
}
void vs_fall(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 1)) return;
  if (auto n = ctx.unsigned_arg(s, 0, 1, 2147483647)) v.fall = static_cast<unsigned>(*n);
}
void vs_user(BuildContext& ctx, S s, VrrpScript& v) {
  if (!ctx.arg_count(s, 1, 2)) return;
  v.script.user = s.args[0].text;
  if (s.args.size() > 1) v.script.group = s.args[1].text;
}
void vs_init_fail(BuildContext& ctx, S s, VrrpScript& v) {
  if (ctx.arg_count(s, 0, 0)) v.init_fail = true;
}

constexpr Keyword<VrrpScript> kScriptKeywords[] = {
    {"script", vs_script}, {"interval", vs_interval},   {"timeout", vs_timeout},
    {"weight", vs_weight}, {"rise", vs_rise},           {"fall", vs_fall},
    {"user", vs_user},     {"init_fail", vs_init_fail},
};

}  // namespace

void build_vrrp_script(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (!one_name(ctx, s)) return;
  VrrpScript v;
  v.name = s.args[0].text;
  v.where = s.keyword.where;
  static constexpr BlockRules rules{"vrrp_script", {}, false};
  apply_keywords<VrrpScript>(ctx, s.block, kScriptKeywords, rules, v);
  if (v.script.command.empty()) {
    // keepalived 2.2.7 removes it; its `script` line may have been conditional (`@ID script ..`)
    // for another config id. A `script` line that could not be read has its own error already.
    const bool had_script_line = std::any_of(s.block.begin(), s.block.end(), [](const auto& st) {
      return st.keyword.text == "script";
    });
    if (!had_script_line) {
      ctx.warning(s.keyword.where,
                  fmt::format("vrrp_script {0} has no 'script' line; removed, as keepalived 2.2.7 "
                              "removes it (\"No script set for vrrp_script {0} - removing\"); "
                              "a track_script naming it is ignored",
                              v.name));
    }
    draft.removed_scripts.push_back(v.name);
    return;
  }
  draft.config.vrrp_scripts.push_back(std::move(v));
}

void note_script_references(ConfigDraft& draft, const std::vector<TrackedScript>& tracked) {
  for (const auto& t : tracked) {
    const bool defined =
        std::any_of(draft.config.vrrp_scripts.begin(), draft.config.vrrp_scripts.end(),
                    [&](const auto& v) { return v.name == t.name; });
    const bool removed = std::find(draft.removed_scripts.begin(), draft.removed_scripts.end(),
                                   t.name) != draft.removed_scripts.end();
    if (!defined && !removed) draft.script_refs_before_definition.push_back(t.where);
  }
}

namespace {

bool same_place(const Location& a, const Location& b) {
  return a.line == b.line && a.column == b.column && a.file == b.file;
}

void resolve(BuildContext& ctx, const ConfigDraft& draft, const Config& config,
             std::vector<TrackedScript>& tracked, std::string_view owner,
             const std::string& name) {
  std::erase_if(tracked, [&](const TrackedScript& t) {
    const bool defined = std::any_of(config.vrrp_scripts.begin(), config.vrrp_scripts.end(),
                                     [&](const auto& v) { return v.name == t.name; });
    const std::string keepalived =
        fmt::format("keepalived 2.2.7: \"({}) track script {} not found, ignoring...\"", name,
                    t.name);
    if (!defined) {
      const bool removed = std::find(draft.removed_scripts.begin(), draft.removed_scripts.end(),
                                     t.name) != draft.removed_scripts.end();
      ctx.warning(t.where,
                  removed ? fmt::format("{} {} tracks script '{}', which was removed (it has no "
                                        "'script' line); ignored, as {}",
                                        owner, name, t.name, keepalived)
                          : fmt::format("{} {} tracks script '{}', but no vrrp_script has that "
                                        "name; ignored, as {}",
                                        owner, name, t.name, keepalived));
      return true;
    }
    const auto& early = draft.script_refs_before_definition;
    if (std::any_of(early.begin(), early.end(),
                    [&](const Location& l) { return same_place(l, t.where); })) {
      ctx.warning(t.where,
                  fmt::format("{} {} tracks script '{}' before its vrrp_script block: keepalived "
                              "2.2.7 resolves the name where it reads this line and ignores it "
                              "(\"({}) track script {} not found, ignoring...\"); lvsctl tracks "
                              "it. Move the vrrp_script block above so that both agree",
                              owner, name, t.name, name, t.name));
    }
    return false;
  });
}

}  // namespace

void resolve_tracked_scripts(BuildContext& ctx, const ConfigDraft& draft, Config& config) {
  for (auto& vi : config.vrrp_instances) {
    resolve(ctx, draft, config, vi.track_scripts, "vrrp_instance", vi.name);
  }
  for (auto& g : config.vrrp_sync_groups) {
    resolve(ctx, draft, config, g.track_scripts, "vrrp_sync_group", g.name);
  }
}

}  // namespace lvsctl::director::config
