#include "firewall/nft_plan.hpp"

#include <algorithm>

#include "firewall/nft_verdict.hpp"
#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

bool is_ours(const NftRule& r) { return r.comment && *r.comment == kRuleTag; }

// Two rule bodies are the same rule; an anonymous set read back compares by its elements.
bool same_rule(const std::vector<Expr>& have, const std::vector<Expr>& want) {
  if (have.size() != want.size()) return false;
  for (std::size_t i = 0; i < have.size(); ++i) {
    const auto* hl = std::get_if<LookupExpr>(&have[i]);
    const auto* wl = std::get_if<LookupExpr>(&want[i]);
    if (hl && wl) {
      if (!hl->elements_known || hl->sreg != wl->sreg || hl->invert != wl->invert) return false;
      auto a = hl->elements;
      std::sort(a.begin(), a.end());
      if (a != wl->elements) return false;
      continue;
    }
    if (!(have[i] == want[i])) return false;
  }
  return true;
}

}  // namespace

const char* action_name(ChainAction a) {
  switch (a) {
    case ChainAction::Insert: return "insert";
    case ChainAction::Replace: return "replace";
    case ChainAction::Keep: return "keep";
    case ChainAction::Remove: return "remove";
    case ChainAction::NotNeeded: return "not-needed";
    case ChainAction::SkippedIptables: return "skipped-iptables-nft";
  }
  return "?";
}

bool NftPlan::changes() const {
  return std::any_of(chains.begin(), chains.end(), [](const NftChainPlan& c) {
    return !c.delete_handles.empty() || !c.insert.empty();
  });
}

bool NftPlan::any_filtering() const {
  return std::any_of(chains.begin(), chains.end(), [](const NftChainPlan& c) {
    return c.action != ChainAction::NotNeeded && c.action != ChainAction::SkippedIptables;
  });
}

bool is_input_filter(const NftChain& chain) {
  return chain.base && chain.hook == nft::kHookInput &&
         (chain.type.empty() || chain.type == "filter");
}

NftPlan plan_allow(const NftRuleset& ruleset, const VrrpRequest& request) {
  NftPlan plan;
  for (const auto& chain : ruleset.chains) {
    if (!is_input_filter(chain)) continue;
    NftChainPlan cp;
    cp.chain = chain.id;
    const NftTable* table = ruleset.find_table(chain.id.family, chain.id.table);
    if (table && table->managed_by_iptables) {
      cp.action = ChainAction::SkippedIptables;
      plan.chains.push_back(std::move(cp));
      continue;
    }
    for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
      if (request.wants(v) && family_carries(chain.id.family, v)) {
        cp.insert.push_back(build_vrrp_rule(chain.id.family, v, request));
        cp.versions.push_back(v);
      }
    }
    if (cp.insert.empty() || !can_drop(ruleset, chain)) {
      cp.insert.clear();
      cp.versions.clear();
      cp.action = ChainAction::NotNeeded;
      plan.chains.push_back(std::move(cp));
      continue;
    }
    // Ours already in place: exactly the wanted rules, as the first rules of the chain.
    const auto rules = ruleset.rules_of(chain.id);
    std::vector<const NftRule*> ours;
    for (const NftRule* r : rules) {
      if (is_ours(*r)) ours.push_back(r);
    }
    bool in_place = ours.size() == cp.insert.size() && rules.size() >= ours.size();
    for (std::size_t i = 0; in_place && i < ours.size(); ++i) {
      in_place = rules[i] == ours[i] && same_rule(ours[i]->exprs, cp.insert[i]);
    }
    if (in_place) {
      cp.action = ChainAction::Keep;
      cp.insert.clear();
      cp.versions.clear();
    } else {
      cp.action = ours.empty() ? ChainAction::Insert : ChainAction::Replace;
      for (const NftRule* r : ours) cp.delete_handles.push_back(r->handle);
    }
    plan.chains.push_back(std::move(cp));
  }
  return plan;
}

NftPlan plan_revoke(const NftRuleset& ruleset) {
  NftPlan plan;
  for (const auto& chain : ruleset.chains) {
    const NftTable* table = ruleset.find_table(chain.id.family, chain.id.table);
    if (table && table->managed_by_iptables) continue;
    NftChainPlan cp;
    cp.chain = chain.id;
    for (const NftRule* r : ruleset.rules_of(chain.id)) {
      if (is_ours(*r)) cp.delete_handles.push_back(r->handle);
    }
    if (cp.delete_handles.empty()) continue;
    cp.action = ChainAction::Remove;
    plan.chains.push_back(std::move(cp));
  }
  return plan;
}

}  // namespace lvsctl::firewall
