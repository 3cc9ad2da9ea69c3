// Executing an NftPlan as one nftables transaction.
#include <libnftnl/rule.h>
#include <linux/netfilter/nf_tables.h>

#include <string>

#include "firewall/nft_kernel.hpp"
#include "shared/nft/nft_batch.hpp"
#include "shared/nft/nft_objects.hpp"
#include "shared/nft/nft_rule_write.hpp"
#include "shared/nft/nft_socket.hpp"

namespace lvsctl::firewall {
namespace {

void set_chain(nftnl_rule* r, const NftChainId& id) {
  nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, static_cast<std::uint32_t>(id.family));
  nftnl_rule_set_str(r, NFTNL_RULE_TABLE, id.table.c_str());
  nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, id.chain.c_str());
}

Status add_rule(NftBatch& batch, const NftChainId& id, const std::vector<Expr>& exprs,
                std::uint32_t& next_set_id) {
  return add_nft_rule(batch, id, exprs, next_set_id, NftRuleOptions{std::string(kRuleTag)});
}

}  // namespace

Status apply_nft_plan(const NftPlan& plan) {
  if (!plan.changes()) return {};
  auto sock = NftSocket::open();
  if (!sock) return sock.error();
  NftBatch batch;
  std::uint32_t next_set_id = 1;
  for (const auto& cp : plan.chains) {
    for (std::uint64_t handle : cp.delete_handles) {
      NftnlRule r(nftnl_rule_alloc());
      set_chain(r.get(), cp.chain);
      nftnl_rule_set_u64(r.get(), NFTNL_RULE_HANDLE, handle);
      nftnl_rule_nlmsg_build_payload(
          batch.add(NFT_MSG_DELRULE, static_cast<std::uint16_t>(cp.chain.family), 0), r.get());
      batch.commit();
    }
    // Each insert goes to the head: insert the last wanted rule first.
    for (auto it = cp.insert.rbegin(); it != cp.insert.rend(); ++it) {
      if (auto st = add_rule(batch, cp.chain, *it, next_set_id); !st) return st;
    }
  }
  batch.finish();
  return sock->send_batch(batch.data(), batch.size());
}

}  // namespace lvsctl::firewall
