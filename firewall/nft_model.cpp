#include "firewall/nft_model.hpp"

namespace lvsctl::firewall {

const NftChain* NftRuleset::find_chain(NftFamily f, const std::string& table,
                                       const std::string& name) const {
  for (const auto& c : chains) {
    if (c.id.family == f && c.id.table == table && c.id.chain == name) return &c;
  }
  return nullptr;
}

std::vector<const NftRule*> NftRuleset::rules_of(const NftChainId& id) const {
  std::vector<const NftRule*> out;
  for (const auto& r : rules) {
    if (r.chain == id) out.push_back(&r);
  }
  return out;
}

const NftTable* NftRuleset::find_table(NftFamily f, const std::string& name) const {
  for (const auto& t : tables) {
    if (t.family == f && t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace lvsctl::firewall
