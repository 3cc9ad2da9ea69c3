// Reading the nftables ruleset into NftRuleset values.
#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "firewall/nft_kernel.hpp"
#include "shared/nft/nft_objects.hpp"
#include "shared/nft/nft_socket.hpp"

namespace lvsctl::firewall {
namespace {

constexpr std::size_t kRequestSize = 1 << 13;


std::optional<NftFamily> to_family(std::uint32_t f) {
  switch (f) {
    case NFPROTO_INET: return NftFamily::Inet;
    case NFPROTO_IPV4: return NftFamily::Ip;
    case NFPROTO_IPV6: return NftFamily::Ip6;
    default: return std::nullopt;
  }
}

std::string get_str(const char* s) { return s ? s : ""; }

Bytes get_data(const nftnl_expr* e, std::uint16_t attr) {
  std::uint32_t len = 0;
  const void* d = nftnl_expr_get(e, attr, &len);
  if (!d) return {};
  const auto* p = static_cast<const std::uint8_t*>(d);
  return Bytes(p, p + len);
}

Expr to_expr(const nftnl_expr* e) {
  const std::string name = get_str(nftnl_expr_get_str(e, NFTNL_EXPR_NAME));
  if (name == "meta" && nftnl_expr_is_set(e, NFTNL_EXPR_META_DREG)) {
    return MetaExpr{nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY),
                    nftnl_expr_get_u32(e, NFTNL_EXPR_META_DREG)};
  }
  if (name == "payload" && nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_DREG)) {
    return PayloadExpr{nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE),
                       nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET),
                       nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN),
                       nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_DREG)};
  }
  if (name == "cmp") {
    return CmpExpr{nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_SREG),
                   static_cast<nft::CmpOp>(nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP)),
                   get_data(e, NFTNL_EXPR_CMP_DATA)};
  }
  if (name == "bitwise" && (!nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) ||
                            nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP) == NFT_BITWISE_BOOL)) {
    return BitwiseExpr{nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_SREG),
                       nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_DREG),
                       get_data(e, NFTNL_EXPR_BITWISE_MASK), get_data(e, NFTNL_EXPR_BITWISE_XOR)};
  }
  if (name == "ct" && nftnl_expr_is_set(e, NFTNL_EXPR_CT_DREG)) {
    return CtExpr{nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY),
                  nftnl_expr_get_u32(e, NFTNL_EXPR_CT_DREG)};
  }
  if (name == "lookup" && !nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG)) {
    LookupExpr l;
    l.sreg = nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SREG);
    l.set = get_str(nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET));
    l.invert = nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_FLAGS) &&
               (nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV) != 0;
    return l;
  }
  if (name == "immediate" && nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG) == NFT_REG_VERDICT) {
    VerdictExpr v;
    v.code = static_cast<std::int32_t>(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT));
    if (nftnl_expr_is_set(e, NFTNL_EXPR_IMM_CHAIN)) {
      v.chain = get_str(nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN));
    }
    return v;
  }
  if (name == "reject") return RejectExpr{};
  if (name == "counter") return CounterExpr{};
  if (name == "target") return OtherExpr{name, get_str(nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME))};
  if (name == "match") return OtherExpr{name, get_str(nftnl_expr_get_str(e, NFTNL_EXPR_MT_NAME))};
  return OtherExpr{name, {}};
}

int comment_cb(const nftnl_udata* attr, void* data) {
  if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT) {
    const auto* s = static_cast<const char*>(nftnl_udata_get(attr));
    *static_cast<std::optional<std::string>*>(data) =
        std::string(s, strnlen(s, nftnl_udata_len(attr)));
  }
  return 0;
}

std::optional<std::string> rule_comment(const nftnl_rule* r) {
  if (!nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) return std::nullopt;
  std::uint32_t len = 0;
  const void* d = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
  std::optional<std::string> comment;
  if (d) nftnl_udata_parse(d, len, comment_cb, &comment);
  return comment;
}

// One dump of `type` (all families); `parse` turns each message into values.
Status dump_all(NftSocket& sock, std::uint16_t type, const char* what,
                const std::function<bool(const nlmsghdr*)>& parse) {
  std::vector<char> buf(kRequestSize);
  const std::uint32_t seq = sock.next_seq();
  nlmsghdr* nlh = nftnl_nlmsg_build_hdr(buf.data(), type, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
  return sock.dump(nlh, seq, parse, what);
}

bool builtin_iptables_chain(const std::string& name) {
  return name == "INPUT" || name == "OUTPUT" || name == "FORWARD" || name == "PREROUTING" ||
         name == "POSTROUTING";
}

}  // namespace

Result<NftRuleset> read_nft_ruleset() {
  auto sock = NftSocket::open();
  if (!sock) return sock.error();
  NftRuleset rs;

  auto st = dump_all(*sock, NFT_MSG_GETTABLE, "listing nftables tables", [&](const nlmsghdr* nlh) {
    NftnlTable t(nftnl_table_alloc());
    if (nftnl_table_nlmsg_parse(nlh, t.get()) < 0) return false;
    auto f = to_family(nftnl_table_get_u32(t.get(), NFTNL_TABLE_FAMILY));
    if (f) rs.tables.push_back(NftTable{*f, get_str(nftnl_table_get_str(t.get(), NFTNL_TABLE_NAME))});
    return true;
  });
  if (!st) return st.error();

  st = dump_all(*sock, NFT_MSG_GETCHAIN, "listing nftables chains", [&](const nlmsghdr* nlh) {
    NftnlChain c(nftnl_chain_alloc());
    if (nftnl_chain_nlmsg_parse(nlh, c.get()) < 0) return false;
    auto f = to_family(nftnl_chain_get_u32(c.get(), NFTNL_CHAIN_FAMILY));
    if (!f) return true;
    NftChain chain;
    chain.id = {*f, get_str(nftnl_chain_get_str(c.get(), NFTNL_CHAIN_TABLE)),
                get_str(nftnl_chain_get_str(c.get(), NFTNL_CHAIN_NAME))};
    chain.handle = nftnl_chain_get_u64(c.get(), NFTNL_CHAIN_HANDLE);
    chain.base = nftnl_chain_is_set(c.get(), NFTNL_CHAIN_HOOKNUM);
    if (chain.base) {
      chain.hook = nftnl_chain_get_u32(c.get(), NFTNL_CHAIN_HOOKNUM);
      chain.priority = nftnl_chain_get_s32(c.get(), NFTNL_CHAIN_PRIO);
      chain.policy_drop = nftnl_chain_is_set(c.get(), NFTNL_CHAIN_POLICY) &&
                          nftnl_chain_get_u32(c.get(), NFTNL_CHAIN_POLICY) == NF_DROP;
      chain.type = get_str(nftnl_chain_get_str(c.get(), NFTNL_CHAIN_TYPE));
    }
    rs.chains.push_back(std::move(chain));
    return true;
  });
  if (!st) return st.error();

  st = dump_all(*sock, NFT_MSG_GETRULE, "listing nftables rules", [&](const nlmsghdr* nlh) {
    NftnlRule r(nftnl_rule_alloc());
    if (nftnl_rule_nlmsg_parse(nlh, r.get()) < 0) return false;
    auto f = to_family(nftnl_rule_get_u32(r.get(), NFTNL_RULE_FAMILY));
    if (!f) return true;
    NftRule rule;
    rule.chain = {*f, get_str(nftnl_rule_get_str(r.get(), NFTNL_RULE_TABLE)),
                  get_str(nftnl_rule_get_str(r.get(), NFTNL_RULE_CHAIN))};
    rule.handle = nftnl_rule_get_u64(r.get(), NFTNL_RULE_HANDLE);
    rule.comment = rule_comment(r.get());
    nftnl_expr_foreach(
        r.get(),
        [](nftnl_expr* e, void* data) {
          static_cast<std::vector<Expr>*>(data)->push_back(to_expr(e));
          return 0;
        },
        &rule.exprs);
    rs.rules.push_back(std::move(rule));
    return true;
  });
  if (!st) return st.error();

  // Elements of the plain (non-interval) sets that rules look up, so lookups can be evaluated.
  std::map<std::tuple<NftFamily, std::string, std::string>, std::optional<std::vector<Bytes>>> sets;
  st = dump_all(*sock, NFT_MSG_GETSET, "listing nftables sets", [&](const nlmsghdr* nlh) {
    NftnlSet s(nftnl_set_alloc());
    if (nftnl_set_nlmsg_parse(nlh, s.get()) < 0) return false;
    auto f = to_family(nftnl_set_get_u32(s.get(), NFTNL_SET_FAMILY));
    if (!f) return true;
    const auto flags = nftnl_set_get_u32(s.get(), NFTNL_SET_FLAGS);
    if (flags & (NFT_SET_INTERVAL | NFT_SET_MAP | NFT_SET_OBJECT)) return true;
    sets[{*f, get_str(nftnl_set_get_str(s.get(), NFTNL_SET_TABLE)),
          get_str(nftnl_set_get_str(s.get(), NFTNL_SET_NAME))}] = std::nullopt;
    return true;
  });
  if (!st) return st.error();
  for (auto& [key, elements] : sets) {
    const auto& [family, table, name] = key;
    NftnlSet s(nftnl_set_alloc());
    nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table.c_str());
    nftnl_set_set_str(s.get(), NFTNL_SET_NAME, name.c_str());
    std::vector<char> buf(kRequestSize);
    const std::uint32_t seq = sock->next_seq();
    nlmsghdr* nlh = nftnl_nlmsg_build_hdr(buf.data(), NFT_MSG_GETSETELEM,
                                          static_cast<std::uint16_t>(family), NLM_F_DUMP, seq);
    nftnl_set_elems_nlmsg_build_payload(nlh, s.get());
    std::vector<Bytes> found;
    auto est = sock->dump(nlh, seq, [&](const nlmsghdr* m) {
      NftnlSet got(nftnl_set_alloc());
      if (nftnl_set_elems_nlmsg_parse(m, got.get()) < 0) return false;
      nftnl_set_elem_foreach(got.get(), [](nftnl_set_elem* e, void* data) {
        std::uint32_t len = 0;
        const void* k = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
        if (k) {
          const auto* p = static_cast<const std::uint8_t*>(k);
          static_cast<std::vector<Bytes>*>(data)->emplace_back(p, p + len);
        }
        return 0;
      }, &found);
      return true;
    }, "listing nftables set elements");
    if (est) elements = std::move(found);
  }
  for (auto& rule : rs.rules) {
    for (auto& e : rule.exprs) {
      auto* l = std::get_if<LookupExpr>(&e);
      if (!l) continue;
      auto it = sets.find({rule.chain.family, rule.chain.table, l->set});
      if (it != sets.end() && it->second) {
        l->elements = *it->second;
        l->elements_known = true;
      }
    }
  }

  // iptables-nft's tables: its builtin chain names, or xtables match/target expressions.
  for (auto& t : rs.tables) {
    if (t.family == NftFamily::Inet) continue;
    for (const auto& c : rs.chains) {
      if (c.id.family == t.family && c.id.table == t.name && c.base &&
          builtin_iptables_chain(c.id.chain)) {
        t.managed_by_iptables = true;
      }
    }
    for (const auto& r : rs.rules) {
      if (r.chain.family != t.family || r.chain.table != t.name) continue;
      for (const auto& e : r.exprs) {
        const auto* o = std::get_if<OtherExpr>(&e);
        if (o && (o->name == "match" || o->name == "target")) t.managed_by_iptables = true;
      }
    }
  }
  return rs;
}

}  // namespace lvsctl::firewall
