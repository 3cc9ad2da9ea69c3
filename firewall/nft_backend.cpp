// The nftables backend's commands.
#include <fmt/format.h>

#include "firewall/backends.hpp"
#include "firewall/nft_kernel.hpp"
#include "firewall/nft_plan.hpp"
#include "firewall/nft_verdict.hpp"
#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

ChainReport chain_report(const NftChainId& id, const char* action) {
  ChainReport r;
  r.backend = Backend::Nftables;
  r.family = family_name(id.family);
  r.table = id.table;
  r.chain = id.chain;
  r.action = action;
  return r;
}

std::vector<PathVerdict> judge_all(const NftRuleset& rs, const NftChain& chain,
                                   const Target& target) {
  std::vector<PathVerdict> out;
  for (const auto& packet : vrrp_packets(target.request, target.ifindex)) {
    if (!family_carries(chain.id.family, packet.version)) continue;
    const ChainVerdict v = judge(rs, chain, packet);
    PathVerdict pv;
    pv.version = packet.version;
    pv.source = packet.source ? packet.source->to_string() : "any";
    pv.outcome = v.outcome;
    pv.rule = v.rule_text;
    if (v.rule_handle) {
      pv.rule_ref = v.rule_chain && v.rule_chain->chain != chain.id.chain
                        ? fmt::format("handle {} in chain {}", *v.rule_handle, v.rule_chain->chain)
                        : fmt::format("handle {}", *v.rule_handle);
    } else {
      pv.rule_ref = "policy";
    }
    pv.ours = v.by_our_rule;
    out.push_back(std::move(pv));
  }
  return out;
}

bool carries_any(NftFamily f, const VrrpRequest& req) {
  return (req.ipv4 && family_carries(f, AddressFamily::V4)) ||
         (req.ipv6 && family_carries(f, AddressFamily::V6));
}

}  // namespace

Result<std::vector<ChainReport>> nft_allow(const Target& target, bool& changed) {
  auto before = read_nft_ruleset();
  if (!before) return before.error();
  const NftPlan plan = plan_allow(*before, target.request);
  if (auto st = apply_nft_plan(plan); !st) return st.error();
  changed = changed || plan.changes();
  auto after = plan.changes() ? read_nft_ruleset() : std::move(before);
  if (!after) return after.error();
  std::vector<ChainReport> out;
  for (const auto& cp : plan.chains) {
    if (!carries_any(cp.chain.family, target.request)) continue;
    ChainReport r = chain_report(cp.chain, action_name(cp.action));
    if (cp.action == ChainAction::Insert || cp.action == ChainAction::Replace ||
        cp.action == ChainAction::Keep) {
      for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
        if (target.request.wants(v) && family_carries(cp.chain.family, v)) {
          r.rules.push_back(vrrp_rule_text(cp.chain.family, v, target.request));
        }
      }
    }
    if (cp.action != ChainAction::SkippedIptables) {
      if (const NftChain* c = after->find_chain(cp.chain.family, cp.chain.table, cp.chain.chain)) {
        r.verdicts = judge_all(*after, *c, target);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ChainReport>> nft_revoke(bool& changed) {
  auto rs = read_nft_ruleset();
  if (!rs) return rs.error();
  const NftPlan plan = plan_revoke(*rs);
  if (auto st = apply_nft_plan(plan); !st) return st.error();
  changed = changed || plan.changes();
  std::vector<ChainReport> out;
  for (const auto& cp : plan.chains) {
    ChainReport r = chain_report(cp.chain, "remove");
    for (const NftRule* rule : rs->rules_of(cp.chain)) {
      for (auto h : cp.delete_handles) {
        if (rule->handle == h) r.rules.push_back(describe(rule->exprs));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ChainReport>> nft_status(const Target& target) {
  auto rs = read_nft_ruleset();
  if (!rs) return rs.error();
  std::vector<ChainReport> out;
  for (const auto& chain : rs->chains) {
    if (!is_input_filter(chain) || !carries_any(chain.id.family, target.request)) continue;
    const NftTable* t = rs->find_table(chain.id.family, chain.id.table);
    if (t && t->managed_by_iptables) {
      out.push_back(chain_report(chain.id, action_name(ChainAction::SkippedIptables)));
      continue;
    }
    ChainReport r = chain_report(chain.id, "none");
    for (const NftRule* rule : rs->rules_of(chain.id)) {
      if (rule->comment && *rule->comment == kRuleTag) r.rules.push_back(describe(rule->exprs));
    }
    r.verdicts = judge_all(*rs, chain, target);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace lvsctl::firewall
