// FILE_CHECK blocks of a real_server (keepalived 2.2.7 check_file.c):
//   FILE_CHECK { track_file NAME; weight W [reverse|noreverse] }
// and, once the whole file is read, their track_file names resolved against the track_file
// blocks (the model of a tracked file, track_model.hpp), whose weight and reverse a FILE_CHECK
// without its own `weight` takes.
#include <algorithm>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

FileCheck& file(CheckerDraft& c) { return std::get<FileCheck>(c.checker.spec); }

void fc_track_file(BuildContext& ctx, S s, CheckerDraft& c) {
  if (!ctx.arg_count(s, 1, 1)) return;
  FileCheck& f = file(c);
  if (!f.track_file.empty()) {
    // keepalived keeps the last one silently; one FILE_CHECK follows one file.
    ctx.error(s.keyword.where, fmt::format("FILE_CHECK already tracks '{}' (one track_file per "
                                           "FILE_CHECK; write one FILE_CHECK per file)",
                                           f.track_file));
    return;
  }
  f.track_file = s.args[0].text;
  f.where = s.keyword.where;
}

// weight W [reverse|noreverse]: keepalived's range for a real server, -2147483647..2147483647.
void fc_weight(BuildContext& ctx, S s, CheckerDraft& c) {
  if (!ctx.arg_count(s, 1, 2)) return;
  auto w = ctx.signed_arg(s, 0, -2147483647, 2147483647);
  if (!w) return;
  bool reverse = false;
  if (s.args.size() == 2) {
    if (s.args[1].text == "reverse" || s.args[1].text == "noreverse") {
      reverse = s.args[1].text == "reverse";
    } else {
      ctx.error(s.args[1].where, fmt::format("unexpected '{}' after weight (expected 'reverse' or "
                                             "'noreverse')",
                                             s.args[1].text));
      return;
    }
  }
  FileCheck& f = file(c);
  f.weight = static_cast<int>(*w);
  f.reverse = reverse;
  f.own_weight = true;
}

// keepalived.conf(5) shows `dynamic` in FILE_CHECK, but keepalived 2.2.7's parser does not know
// it (it logs an unknown keyword and goes on); the value always moves the weight unless the
// weight is 0.
void fc_dynamic(BuildContext& ctx, S s, CheckerDraft& /*c*/) {
  if (!ctx.arg_count(s, 0, 0)) return;
  ctx.warning(s.keyword.where,
              "'dynamic' in FILE_CHECK is ignored: keepalived.conf(5) shows it but keepalived "
              "2.2.7 does not know it; the file's value moves the weight unless 'weight 0'");
}

constexpr Keyword<CheckerDraft> kFileCheckKeywords[] = {
    {"track_file", fc_track_file}, {"weight", fc_weight}, {"dynamic", fc_dynamic}};

}  // namespace

void build_file_check(BuildContext& ctx, const conf::Statement& s, CheckerDraft& c) {
  c.checker.spec = FileCheck{};
  static constexpr BlockRules rules{"FILE_CHECK", {}, false};
  apply_keywords<CheckerDraft>(ctx, s.block, kFileCheckKeywords, rules, c);
  if (file(c).track_file.empty()) {
    ctx.error(s.keyword.where, "FILE_CHECK has no 'track_file' (the name of a track_file block)");
  }
}

void resolve_file_checks(BuildContext& ctx, Config& config) {
  if (config.virtual_servers.empty()) return;
  const auto& files = config.vrrp_track_files;
  for (auto& vs : config.virtual_servers) {
    for (auto& rs : vs.real_servers) {
      for (auto& c : rs.checkers) {
        auto* f = std::get_if<FileCheck>(&c.spec);
        if (f == nullptr || f->track_file.empty()) continue;
        const auto it = std::find_if(files.begin(), files.end(),
                                     [&](const auto& t) { return t.name == f->track_file; });
        if (it == files.end()) {
          ctx.error(f->where, fmt::format("FILE_CHECK of real_server {} tracks file '{}', but no "
                                          "track_file has that name",
                                          rs.address.to_string(), f->track_file));
          continue;
        }
        if (!f->own_weight) {
          f->weight = it->weight;
          f->reverse = it->reverse;
        }
        // keepalived reads the file top to bottom and looks the name up when it reads the
        // FILE_CHECK: a track_file block further down is "not found" and the check is dropped.
        if (it->where.file.str() == f->where.file.str() && it->where.line > f->where.line &&
            ctx.first_in_file("FILE_CHECK before its track_file", f->where)) {
          ctx.warning(f->where,
                      fmt::format("track_file {} is defined below this FILE_CHECK (at line {}): "
                                  "keepalived 2.2.7 then reports 'track_file {} not found' and "
                                  "drops the check, lvsctl applies it. Move the track_file block "
                                  "above the virtual_server so that both agree (said once per "
                                  "file)",
                                  f->track_file, it->where.line, f->track_file));
        }
      }
    }
  }
}

}  // namespace lvsctl::director::config
