#include "shared/nft/nft_rule_write.hpp"

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>

#include <type_traits>

#include "shared/nft/nft_objects.hpp"

namespace lvsctl {
namespace {

constexpr std::uint32_t kTypeIpv4Addr = 7;  // nft datatype ids, shown by `nft list`
constexpr std::uint32_t kTypeIpv6Addr = 8;

void set_chain(nftnl_rule* r, const NftChainId& id) {
  nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, static_cast<std::uint32_t>(id.family));
  nftnl_rule_set_str(r, NFTNL_RULE_TABLE, id.table.c_str());
  nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, id.chain.c_str());
}

// An anonymous constant set holding `elements`, referenced from the rule by `set_id`.
void add_anonymous_set(NftBatch& batch, const NftChainId& id, const LookupExpr& lookup,
                       std::uint32_t set_id) {
  NftnlSet s(nftnl_set_alloc());
  const auto key_len = static_cast<std::uint32_t>(lookup.elements.front().size());
  nftnl_set_set_u32(s.get(), NFTNL_SET_FAMILY, static_cast<std::uint32_t>(id.family));
  nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, id.table.c_str());
  nftnl_set_set_str(s.get(), NFTNL_SET_NAME, "__set%d");
  nftnl_set_set_u32(s.get(), NFTNL_SET_ID, set_id);
  nftnl_set_set_u32(s.get(), NFTNL_SET_FLAGS, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT);
  nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_TYPE, key_len == 4 ? kTypeIpv4Addr : kTypeIpv6Addr);
  nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_LEN, key_len);
  nftnl_set_nlmsg_build_payload(
      batch.add(NFT_MSG_NEWSET, static_cast<std::uint16_t>(id.family), NLM_F_CREATE), s.get());
  batch.commit();
  for (const auto& el : lookup.elements) {
    nftnl_set_elem* e = nftnl_set_elem_alloc();
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, el.data(), static_cast<std::uint32_t>(el.size()));
    nftnl_set_elem_add(s.get(), e);  // the set owns it now
  }
  nftnl_set_elems_nlmsg_build_payload(
      batch.add(NFT_MSG_NEWSETELEM, static_cast<std::uint16_t>(id.family), NLM_F_CREATE), s.get());
  batch.commit();
}

nftnl_expr* make_expr(const Expr& expr, std::uint32_t set_id) {
  return std::visit(
      [&](const auto& x) -> nftnl_expr* {
        using T = std::decay_t<decltype(x)>;
        nftnl_expr* e = nullptr;
        if constexpr (std::is_same_v<T, MetaExpr>) {
          e = nftnl_expr_alloc("meta");
          nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, x.key);
          nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, x.dreg);
        } else if constexpr (std::is_same_v<T, PayloadExpr>) {
          e = nftnl_expr_alloc("payload");
          nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, x.base);
          nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, x.offset);
          nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, x.len);
          nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, x.dreg);
        } else if constexpr (std::is_same_v<T, CmpExpr>) {
          e = nftnl_expr_alloc("cmp");
          nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, x.sreg);
          nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, static_cast<std::uint32_t>(x.op));
          nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, x.data.data(),
                         static_cast<std::uint32_t>(x.data.size()));
        } else if constexpr (std::is_same_v<T, LookupExpr>) {
          e = nftnl_expr_alloc("lookup");
          nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, x.sreg);
          nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, x.set.c_str());
          nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
          if (x.invert) nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
        } else if constexpr (std::is_same_v<T, VerdictExpr>) {
          e = nftnl_expr_alloc("immediate");
          nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
          nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, static_cast<std::uint32_t>(x.code));
          if (!x.chain.empty()) nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, x.chain.c_str());
        } else if constexpr (std::is_same_v<T, CounterExpr>) {
          e = nftnl_expr_alloc("counter");
        }
        // Other kinds are never built by lvsctl: nullptr makes the caller fail loudly.
        return e;
      },
      expr);
}

}  // namespace

Status add_nft_rule(NftBatch& batch, const NftChainId& id, const std::vector<Expr>& exprs,
                    std::uint32_t& next_set_id, const NftRuleOptions& options) {
  NftnlRule r(nftnl_rule_alloc());
  set_chain(r.get(), id);
  std::uint32_t set_id = 0;
  for (const auto& expr : exprs) {
    if (const auto* l = std::get_if<LookupExpr>(&expr); l != nullptr && !l->elements.empty()) {
      set_id = next_set_id++;
      add_anonymous_set(batch, id, *l, set_id);
    }
    nftnl_expr* e = make_expr(expr, set_id);
    if (!e) return Error{"internal: an expression kind lvsctl cannot build"};
    nftnl_rule_add_expr(r.get(), e);
  }
  if (!options.comment.empty()) {
    nftnl_udata_buf* ud = nftnl_udata_buf_alloc(NFTNL_UDATA_COMMENT_MAXLEN + 8);
    nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, options.comment.c_str());
    nftnl_rule_set_data(r.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
                        nftnl_udata_buf_len(ud));
    nftnl_udata_buf_free(ud);
  }
  // Without NLM_F_APPEND and a position the kernel puts the rule at the head of the chain.
  const auto flags = static_cast<std::uint16_t>(NLM_F_CREATE | (options.append ? NLM_F_APPEND : 0));
  nftnl_rule_nlmsg_build_payload(
      batch.add(NFT_MSG_NEWRULE, static_cast<std::uint16_t>(id.family), flags), r.get());
  batch.commit();
  return {};
}

void add_nft_base_chain(NftBatch& batch, const NftBaseChain& chain) {
  NftnlChain c(nftnl_chain_alloc());
  nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_FAMILY, static_cast<std::uint32_t>(chain.id.family));
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TABLE, chain.id.table.c_str());
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_NAME, chain.id.chain.c_str());
  nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_HOOKNUM, chain.hook);
  nftnl_chain_set_s32(c.get(), NFTNL_CHAIN_PRIO, chain.priority);
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TYPE, chain.type.c_str());
  nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_POLICY, NF_ACCEPT);
  nftnl_chain_nlmsg_build_payload(
      batch.add(NFT_MSG_NEWCHAIN, static_cast<std::uint16_t>(chain.id.family), NLM_F_CREATE),
      c.get());
  batch.commit();
}

namespace {
void table_message(NftBatch& batch, std::uint16_t type, NftFamily family,
                   const std::string& name, std::uint16_t flags) {
  NftnlTable t(nftnl_table_alloc());
  nftnl_table_set_u32(t.get(), NFTNL_TABLE_FAMILY, static_cast<std::uint32_t>(family));
  nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, name.c_str());
  nftnl_table_nlmsg_build_payload(batch.add(type, static_cast<std::uint16_t>(family), flags),
                                  t.get());
  batch.commit();
}
}  // namespace

void add_nft_table(NftBatch& batch, NftFamily family, const std::string& name) {
  table_message(batch, NFT_MSG_NEWTABLE, family, name, NLM_F_CREATE);
}

void delete_nft_table_if_any(NftBatch& batch, NftFamily family, const std::string& name) {
  table_message(batch, NFT_MSG_NEWTABLE, family, name, NLM_F_CREATE);
  table_message(batch, NFT_MSG_DELTABLE, family, name, 0);
}

}  // namespace lvsctl
