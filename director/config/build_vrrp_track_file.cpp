// vrrp_track_file / track_file blocks (see track_model.hpp).
#include <algorithm>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

void tf_file(BuildContext& ctx, S s, VrrpTrackFile& f) {
  if (auto v = ctx.string_arg(s)) {
    if (v->empty() || (*v)[0] != '/') {
      ctx.error(s.args[0].where, fmt::format("track file '{}' must be an absolute path", *v));
      return;
    }
    f.path = *v;
  }
}
void tf_weight(BuildContext& ctx, S s, VrrpTrackFile& f) {
  if (!ctx.arg_count(s, 1, 2)) return;
  if (auto n = ctx.signed_arg(s, 0, -254, 254)) f.weight = static_cast<int>(*n);
  if (s.args.size() == 2) {
    if (s.args[1].text == "reverse") {
      f.reverse = true;
    } else {
      ctx.error(s.args[1].where,
                fmt::format("unexpected '{}' after weight (expected 'reverse')", s.args[1].text));
    }
  }
}
void tf_init_file(BuildContext& ctx, S s, VrrpTrackFile& f) {
  if (!ctx.arg_count(s, 0, 2)) return;
  f.init_value = 0;
  for (const auto& w : s.args) {
    if (w.text == "overwrite") {
      f.init_overwrite = true;
    } else if (auto n = parse_signed(w.text)) {
      f.init_value = *n;
    } else {
      ctx.error(w.where, fmt::format("init_file value '{}' is not an integer (or 'overwrite')",
                                     w.text));
    }
  }
}

constexpr Keyword<VrrpTrackFile> kTrackFileKeywords[] = {
    {"file", tf_file}, {"weight", tf_weight}, {"init_file", tf_init_file}};

}  // namespace

void build_vrrp_track_file(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (!one_name(ctx, s)) return;
  if (s.keyword.text == "vrrp_track_file") {
    ctx.warning(s.keyword.where,
                "'vrrp_track_file' is the deprecated name of 'track_file' (both work)");
  }
  VrrpTrackFile f;
  f.name = s.args[0].text;
  f.where = s.keyword.where;
  static constexpr BlockRules rules{"track_file", {}, false};
  apply_keywords<VrrpTrackFile>(ctx, s.block, kTrackFileKeywords, rules, f);
  if (f.path.empty()) {
    ctx.error(s.keyword.where, fmt::format("track_file {} has no 'file'", f.name));
    return;
  }
  const auto& files = draft.config.vrrp_track_files;
  if (std::any_of(files.begin(), files.end(), [&](const auto& o) { return o.name == f.name; })) {
    ctx.error(s.keyword.where, fmt::format("track_file {} is defined twice", f.name));
    return;
  }
  draft.config.vrrp_track_files.push_back(std::move(f));
}

}  // namespace lvsctl::director::config
