// vrrp_script blocks.
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
    ctx.error(s.keyword.where, fmt::format("vrrp_script {} has no 'script'", v.name));
  }
  draft.config.vrrp_scripts.push_back(std::move(v));
}

}  // namespace lvsctl::director::config
