// vrrp_track_process blocks (see track_model.hpp). Values out of keepalived's ranges are errors
// (keepalived logs them and ignores the line).
#include <algorithm>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;
using P = VrrpTrackProcess;

// The kernel keeps 15 bytes of a process name (TASK_COMM_LEN 16).
constexpr std::size_t kCommLength = 15;

void tp_process(BuildContext& ctx, S s, P& p) {
  if (!ctx.arg_count(s, 1, BuildContext::kAny)) return;
  if (!p.process.empty()) {
    ctx.error(s.keyword.where, fmt::format("track process {}: 'process' is given twice", p.name));
    return;
  }
  p.process = s.args[0].text;
  if (p.process.empty()) ctx.error(s.args[0].where, "'process' needs a name");
  for (std::size_t i = 1; i < s.args.size(); ++i) p.params.push_back(s.args[i].text);
  if (!p.params.empty()) {
    if (p.param_match == ParamMatch::None) p.param_match = ParamMatch::Exact;
    p.full_command = true;
  }
}
void tp_param_match(BuildContext& ctx, S s, P& p) {
  if (!ctx.arg_count(s, 0, 1)) return;
  p.full_command = true;
  if (s.args.empty()) {
    p.param_match = ParamMatch::Exact;
  } else if (auto i = ctx.choice_arg(s, 0, {"initial", "partial"})) {
    p.param_match = *i == 0 ? ParamMatch::Initial : ParamMatch::Partial;
  }
}
void tp_weight(BuildContext& ctx, S s, P& p) {
  if (!ctx.arg_count(s, 1, 2)) return;
  if (auto n = ctx.signed_arg(s, 0, -254, 254)) p.weight = static_cast<int>(*n);
  if (s.args.size() == 2) {
    if (s.args[1].text == "reverse") {
      p.reverse = true;
    } else {
      ctx.error(s.args[1].where,
                fmt::format("unexpected '{}' after weight (expected 'reverse')", s.args[1].text));
    }
  }
}
void tp_quorum(BuildContext& ctx, S s, P& p) {
  if (!ctx.arg_count(s, 1, 1)) return;
  auto n = ctx.unsigned_arg(s, 0, 1, 65535);
  if (!n) return;
  if (*n > p.quorum_max) {
    ctx.error(s.args[0].where, fmt::format("quorum {} is greater than quorum_max {}", *n,
                                           p.quorum_max));
    return;
  }
  p.quorum = static_cast<unsigned>(*n);
}
void tp_quorum_max(BuildContext& ctx, S s, P& p) {
  if (!ctx.arg_count(s, 1, 1)) return;
  auto n = ctx.unsigned_arg(s, 0, 0, 65535);
  if (!n) return;
  // keepalived: quorum_max 0 (with no quorum above 1) means "no process may run".
  if ((*n != 0 || p.quorum > 1) && *n < p.quorum) {
    ctx.error(s.args[0].where, fmt::format("quorum_max {} is less than quorum {}", *n, p.quorum));
    return;
  }
  p.quorum_max = static_cast<unsigned>(*n);
  if (*n == 0) p.quorum = 0;
}
std::optional<std::chrono::microseconds> delay_arg(BuildContext& ctx, S s) {
  if (!ctx.arg_count(s, 1, 1)) return std::nullopt;
  auto d = ctx.timer_arg(s, 0, std::chrono::microseconds(1));
  if (d && *d > std::chrono::hours(1)) {
    ctx.error(s.args[0].where, fmt::format("'{}' {} is not in 0.000001..3600 seconds",
                                           s.keyword.text, s.args[0].text));
    return std::nullopt;
  }
  return d;
}
void tp_delay(BuildContext& ctx, S s, P& p) {
  if (auto d = delay_arg(ctx, s)) p.fork_delay = p.terminate_delay = *d;
}
void tp_fork_delay(BuildContext& ctx, S s, P& p) {
  if (auto d = delay_arg(ctx, s)) p.fork_delay = *d;
}
void tp_terminate_delay(BuildContext& ctx, S s, P& p) {
  if (auto d = delay_arg(ctx, s)) p.terminate_delay = *d;
}
void tp_full_command(BuildContext& ctx, S s, P& p) {
  if (ctx.arg_count(s, 0, 0)) p.full_command = true;
}

constexpr Keyword<P> kTrackProcessKeywords[] = {
    {"process", tp_process},
    {"param_match", tp_param_match},
    {"weight", tp_weight},
    {"quorum", tp_quorum},
    {"quorum_max", tp_quorum_max},
    {"delay", tp_delay},
    {"fork_delay", tp_fork_delay},
    {"terminate_delay", tp_terminate_delay},
    {"full_command", tp_full_command},
};

}  // namespace

void build_vrrp_track_process(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (!one_name(ctx, s)) return;
  P p;
  p.name = s.args[0].text;
  p.where = s.keyword.where;
  static constexpr BlockRules rules{"vrrp_track_process", {}, false};
  apply_keywords<P>(ctx, s.block, kTrackProcessKeywords, rules, p);
  if (p.process.empty()) {
    ctx.error(s.keyword.where, fmt::format("track process {} has no 'process'", p.name));
    return;
  }
  if (!p.full_command && p.process.size() > kCommLength) {
    ctx.warning(s.keyword.where,
                fmt::format("track process {}: the kernel keeps only the first {} characters of "
                            "a process name, so '{}' never matches (as with keepalived); use "
                            "full_command to match the command line",
                            p.name, kCommLength, p.process));
  }
  const auto& all = draft.config.vrrp_track_processes;
  if (std::any_of(all.begin(), all.end(), [&](const auto& o) { return o.name == p.name; })) {
    ctx.error(s.keyword.where, fmt::format("vrrp_track_process {} is defined twice", p.name));
    return;
  }
  draft.config.vrrp_track_processes.push_back(std::move(p));
}

}  // namespace lvsctl::director::config
