#include "director/config/keyword_table.hpp"

#include <algorithm>
#include <utility>

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

namespace {

// The candidate with the fewest edits from `word` (the first of equals), and that distance.
std::pair<std::string_view, std::size_t> closest(std::string_view word,
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
  return {best, best_distance};
}

}  // namespace

std::string_view nearest_keyword(std::string_view word,
                                 const std::vector<std::string_view>& candidates) {
  const auto [best, best_distance] = closest(word, candidates);
  // Close enough: at most a third of the word's length, and never more than 3 edits.
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  if (best.empty() || best_distance > limit) return {};
  return best;
}

std::string_view nearest_block_keyword(std::string_view word,
                                       const std::vector<std::string_view>& candidates) {
  const auto [best, best_distance] = closest(word, candidates);
  // Up to a third of the longer name, at most 4 edits, and the words share their last 4
  // characters (`bal_defs` / `global_defs`, `vrrp_instanc` / `vrrp_instance`).
  const std::size_t longer = std::max(word.size(), best.size());
  const std::size_t limit = std::min<std::size_t>(4, longer / 3);
  if (best.empty() || best_distance > limit || word.size() < 4 || best.size() < 4) return {};
  if (word.substr(word.size() - 4) != best.substr(best.size() - 4) &&
      word.substr(0, 4) != best.substr(0, 4)) {
    return {};
  }
  return best;
}

// Keywords keepalived 2.2.7 knows that lvsctl does not implement, but whose absence changes
// neither what is forwarded nor who holds a VIP: read, ignored and named in a warning saying what
// is lost. Every other unsupported keyword is an error (see report_unhandled).
constexpr IgnoredKeyword kIgnored[] = {
    // alerting and monitoring
    {"smtp_alert", "lvsctl sends no e-mail alerts (use notify scripts)"},
    {"snmp_name", "lvsctl has no SNMP agent"},
    {"notify_priority_changes", "notify scripts are not told of priority changes"},
    {"notify_deleted", "notify scripts are not told when an instance is deleted by a reload"},
    {"notify_master_rx_lower_pri", "no script runs when a master hears a lower priority advert"},
    {"log_all_failures", "every failure is logged the same way"},
    {"debug", "per-instance debug level"},
    // timing and repetition of gratuitous ARP/NA: who holds the VIP is unchanged
    {"garp_extra_if", "no gratuitous ARP/NA on other interfaces"},
    {"vmac_garp_intvl", "no per-VMAC gratuitous ARP interval"},
    {"garp_group", "no interface-wide gratuitous ARP intervals"},
    // advert exchange details that leave the elected master unchanged
    {"lower_prio_no_advert",
     "a master answers a lower priority advert with its own (keepalived's default)"},
    {"higher_prio_send_advert",
     "a master that hears a higher priority advert does not send one more before it steps down"},
    {"check_unicast_src",
     "adverts are not checked against the unicast_peer list (only a foreign sender could tell)"},
    {"skip_check_adv_addr", "adverts' address lists are not compared with ours"},
    {"kernel_rx_buf_size", "the kernel's default receive buffer is used"},
    {"linkbeat_use_polling", "link state comes from rtnetlink events"},
    {"linkbeat_interfaces", "link state comes from rtnetlink events"},
    // connection synchronisation between directors (its own issue)
    {"lvs_sync_daemon_interface",
     "lvsctl does not run the IPVS connection sync daemon (connections are not synchronised)"},
    // health checks: no effect on results
    {"ha_suspend", "checks also run while this director holds no VIP"},
    // global_defs keywords real files carry (issue 14); global_defs keywords are never errors
    {"lvs_sync_daemon", "lvsctl does not run the IPVS connection sync daemon"},
    {"vrrp_garp_interval", "gratuitous ARPs on one interface are not spaced out"},
    {"vrrp_gna_interval",
     "unsolicited neighbour advertisements on one interface are not spaced out"},
    {"vrrp_check_unicast_src",
     "adverts are not checked against the unicast_peer list (only a foreign sender could tell)"},
    {"vrrp_higher_prio_send_advert",
     "a master that hears a higher priority advert does not send one more before it steps down"},
    {"vrrp_lower_prio_no_advert",
     "a master answers a lower priority advert with its own (keepalived's default)"},
    {"vrrp_skip_check_adv_addr", "adverts' address lists are not compared with ours"},
    // process management
    {"bfd_instance", "BFD is not implemented (track_bfd is refused)"},
    {"namespace_with_ipsets", "no network namespaces"},
    {"use_pid_dir", "lvsctl has its own pid file"},
    {"instance", "lvsctl has its own pid file"},
    {"child_wait_time", "lvsctl runs one process"},
};

std::string_view ignored_reason(std::string_view keyword) {
  for (const auto& k : kIgnored) {
    if (k.name == keyword) return k.why;
  }
  return {};
}

std::span<const IgnoredKeyword> ignored_keywords() { return kIgnored; }

void warn_kept_not_acted_on(BuildContext& ctx, const conf::Statement& s, std::string_view block) {
  const std::string& kw = s.keyword.text;
  ctx.warning(s.keyword.where, fmt::format("'{}' in {} is ignored: {} (its value is read, checked "
                                           "and kept, not acted on)",
                                           kw, block, ignored_reason(kw)));
}

void report_unhandled(BuildContext& ctx, const conf::Statement& s, const BlockRules& rules,
                      const std::vector<std::string_view>& known) {
  const std::string& kw = s.keyword.text;
  if (std::find(rules.unsupported.begin(), rules.unsupported.end(), kw) !=
      rules.unsupported.end()) {
    if (const std::string_view why = ignored_reason(kw); !why.empty()) {
      ctx.warning(s.keyword.where, fmt::format("'{}' in {} is ignored: {}", kw, rules.block, why));
    } else if (rules.unsupported_is_warning) {
      ctx.warning(
          s.keyword.where,
          fmt::format("'{}' in {} is not supported by lvsctl yet and is ignored", kw, rules.block));
    } else {
      ctx.error(s.keyword.where,
                fmt::format("not supported yet: {} (in {}); ignoring it would change what is "
                            "forwarded or who holds a VIP",
                            kw, rules.block));
    }
    return;
  }
  std::vector<std::string_view> candidates = known;
  candidates.insert(candidates.end(), rules.unsupported.begin(), rules.unsupported.end());
  std::string_view hint = nearest_keyword(kw, candidates);
  // A block keyword may be missing a whole word part (`bal_defs`): allow more edits for it.
  if (hint.empty() && s.has_block) hint = nearest_block_keyword(kw, candidates);
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

void report_keepalived_ignores_nb_get_retry(BuildContext& ctx, const conf::Statement& s,
                                            std::string_view block) {
  // Real files repeat it in every checker: the fact is said once per file.
  if (!ctx.first_in_file(fmt::format("nb_get_retry in {}", block), s.keyword.where)) return;
  const std::string value = s.args.empty() ? std::string("N") : s.args[0].text;
  ctx.warning(s.keyword.where,
              fmt::format("keepalived 2.2.7 does not know 'nb_get_retry' in {} and ignores it "
                          "(retry stays at its default there); lvsctl applies it as 'retry {}'. "
                          "Write 'retry {}' so that both agree (said once per file)",
                          block, value, value));
}

void report_deprecated(BuildContext& ctx, const conf::Statement& s, std::string_view replaced_by) {
  const std::string& kw = s.keyword.text;
  if (kw == "lb_algo" || kw == "lb_kind") {
    // In nearly every real file and silent in keepalived 2.2.7: one line per file at most, so
    // that the warnings that matter are not buried.
    if (ctx.first_in_file("lb_algo/lb_kind", s.keyword.where)) {
      ctx.warning(s.keyword.where,
                  "'lb_algo'/'lb_kind' are the old names of 'lvs_sched'/'lvs_method' (accepted "
                  "silently by keepalived 2.2.7 and by lvsctl; said once per file)");
    }
    return;
  }
  ctx.warning(s.keyword.where, fmt::format("'{}' is deprecated; use '{}'", kw, replaced_by));
}

}  // namespace lvsctl::director::config
