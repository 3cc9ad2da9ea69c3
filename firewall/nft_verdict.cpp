#include "firewall/nft_verdict.hpp"

#include <array>
#include <cstring>

#include "firewall/nft_vrrp_rule.hpp"

namespace lvsctl::firewall {
namespace {

constexpr int kMaxDepth = 16;

// The register file: NFT_REG_1..4 are 16 bytes, NFT_REG32_00..15 are 4 bytes, sharing storage.
class Registers {
 public:
  static std::optional<std::size_t> offset(std::uint32_t reg) {
    if (reg >= 1 && reg <= 4) return (reg - 1) * 16;
    if (reg >= 8 && reg <= 23) return (reg - 8) * 4;
    return std::nullopt;
  }
  void store(std::uint32_t reg, const Bytes& value) {
    auto off = offset(reg);
    if (!off) return;
    for (std::size_t i = 0; i < value.size() && *off + i < data_.size(); ++i) {
      data_[*off + i] = value[i];
      known_[*off + i] = true;
    }
  }
  void forget(std::uint32_t reg, std::size_t len) {
    auto off = offset(reg);
    if (!off) return;
    for (std::size_t i = 0; i < len && *off + i < data_.size(); ++i) known_[*off + i] = false;
  }
  // The bytes at reg, or nullopt if any is unknown.
  std::optional<Bytes> load(std::uint32_t reg, std::size_t len) const {
    auto off = offset(reg);
    if (!off || *off + len > data_.size()) return std::nullopt;
    Bytes out(len);
    for (std::size_t i = 0; i < len; ++i) {
      if (!known_[*off + i]) return std::nullopt;
      out[i] = data_[*off + i];
    }
    return out;
  }
  void reset() { known_.fill(false); }

 private:
  std::array<std::uint8_t, 64> data_{};
  std::array<bool, 64> known_{};
};

Bytes host_u32(std::uint32_t v) {
  Bytes b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}

Bytes network_header(const VrrpPacket& p) {
  Bytes h;
  if (p.version == AddressFamily::V4) {
    h.assign(20, 0);
    h[0] = 0x45;
    h[1] = 0xc0;
    h[8] = 255;
    h[9] = kVrrpProtocol;
    const std::uint8_t group[4] = {224, 0, 0, 18};
    std::memcpy(&h[16], group, 4);
  } else {
    h.assign(40, 0);
    h[0] = 0x6c;
    h[6] = kVrrpProtocol;
    h[7] = 255;
    h[24] = 0xff;
    h[25] = 0x02;
    h[39] = 0x12;
  }
  return h;
}

enum class Match { Yes, No, Unknown };

struct RuleEval {
  Match match = Match::Yes;
  std::optional<VerdictExpr> verdict;  // rule's terminal action, if any
};

bool compare(const Bytes& a, const Bytes& b, nft::CmpOp op) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  switch (op) {
    case nft::CmpOp::Eq: return c == 0;
    case nft::CmpOp::Neq: return c != 0;
    case nft::CmpOp::Lt: return c < 0;
    case nft::CmpOp::Lte: return c <= 0;
    case nft::CmpOp::Gt: return c > 0;
    case nft::CmpOp::Gte: return c >= 0;
  }
  return false;
}

RuleEval evaluate_rule(const NftRule& rule, const VrrpPacket& p) {
  Registers regs;
  RuleEval out;
  const Bytes header = network_header(p);
  auto unknown = [&] { if (out.match == Match::Yes) out.match = Match::Unknown; };
  // The register holding an unknown input interface: still known not to be loopback, since a
  // VRRP advert never arrives there (loopback is "lo", index 1, in every namespace).
  std::optional<std::uint32_t> not_lo_reg;
  auto is_lo = [](const Bytes& d) {
    return (d.size() >= 3 && d[0] == 'l' && d[1] == 'o' && d[2] == 0) || d == host_u32(1);
  };
  for (const auto& e : rule.exprs) {
    if (const auto* m = std::get_if<MetaExpr>(&e)) {
      Bytes v;
      switch (m->key) {
        case nft::kMetaNfproto: v = {static_cast<std::uint8_t>(p.version == AddressFamily::V4 ? 2 : 10)}; break;
        case nft::kMetaL4proto: v = {kVrrpProtocol}; break;
        case nft::kMetaProtocol:
          v = p.version == AddressFamily::V4 ? Bytes{0x08, 0x00} : Bytes{0x86, 0xdd};
          break;
        case nft::kMetaPkttype: v = {2}; break;  // PACKET_MULTICAST
        case nft::kMetaIifname:
          if (p.iifname) {
            v.assign(16, 0);
            std::memcpy(v.data(), p.iifname->data(), std::min<std::size_t>(p.iifname->size(), 15));
          }
          break;
        case nft::kMetaIif:
          if (p.iif) v = host_u32(*p.iif);
          break;
        default: break;
      }
      not_lo_reg.reset();
      if (v.empty()) {
        regs.forget(m->dreg, 16);
        if (m->key == nft::kMetaIifname || m->key == nft::kMetaIif) not_lo_reg = m->dreg;
      } else {
        regs.forget(m->dreg, 16);
        regs.store(m->dreg, v);
      }
    } else if (const auto* pl = std::get_if<PayloadExpr>(&e)) {
      regs.forget(pl->dreg, pl->len);
      if (pl->base != nft::kPayloadNetwork || pl->offset + pl->len > header.size()) continue;
      const bool v4 = p.version == AddressFamily::V4;
      const std::uint32_t src_off = v4 ? 12 : 8;
      const std::uint32_t src_len = v4 ? 4 : 16;
      const bool touches_source = pl->offset < src_off + src_len && pl->offset + pl->len > src_off;
      if (touches_source && !p.source) {
        continue;
      }
      Bytes v(header.begin() + pl->offset, header.begin() + pl->offset + pl->len);
      if (touches_source) {
        for (std::uint32_t i = 0; i < pl->len; ++i) {
          const std::uint32_t at = pl->offset + i;
          if (at >= src_off && at < src_off + src_len) v[i] = p.source->bytes()[at - src_off];
        }
      }
      regs.store(pl->dreg, v);
    } else if (const auto* c = std::get_if<CmpExpr>(&e)) {
      auto v = regs.load(c->sreg, c->data.size());
      if (!v && not_lo_reg == c->sreg && is_lo(c->data) &&
          (c->op == nft::CmpOp::Eq || c->op == nft::CmpOp::Neq)) {
        if (c->op == nft::CmpOp::Eq) {
          out.match = Match::No;
          return out;
        }
      } else if (!v) {
        unknown();
      } else if (!compare(*v, c->data, c->op)) {
        out.match = Match::No;
        return out;
      }
    } else if (const auto* b = std::get_if<BitwiseExpr>(&e)) {
      auto v = regs.load(b->sreg, b->mask.size());
      if (!v || b->xor_.size() != b->mask.size()) {
        regs.forget(b->dreg, b->mask.size());
        continue;
      }
      for (std::size_t i = 0; i < v->size(); ++i) (*v)[i] = ((*v)[i] & b->mask[i]) ^ b->xor_[i];
      regs.store(b->dreg, *v);
    } else if (const auto* ct = std::get_if<CtExpr>(&e)) {
      regs.forget(ct->dreg, 16);
      // A VRRP advert is multicast and never answered: conntrack sees it as NEW.
      if (ct->key == nft::kCtState) regs.store(ct->dreg, host_u32(8));
    } else if (const auto* l = std::get_if<LookupExpr>(&e)) {
      if (!l->elements_known || l->elements.empty()) {
        unknown();
        continue;
      }
      auto v = regs.load(l->sreg, l->elements.front().size());
      if (!v) {
        unknown();
        continue;
      }
      bool found = false;
      for (const auto& el : l->elements) found = found || el == *v;
      if (found == l->invert) {
        out.match = Match::No;
        return out;
      }
    } else if (const auto* vd = std::get_if<VerdictExpr>(&e)) {
      out.verdict = *vd;
    } else if (std::holds_alternative<RejectExpr>(e)) {
      out.verdict = VerdictExpr{nft::kDrop, {}};
    } else if (std::holds_alternative<CounterExpr>(e)) {
      // no effect on matching
    } else if (const auto* o = std::get_if<OtherExpr>(&e)) {
      if (o->name == "target" && (o->extra == "REJECT" || o->extra == "DROP")) {
        out.verdict = VerdictExpr{nft::kDrop, {}};
      } else if (o->name == "log" || o->name == "notrack") {
        // side effects only
      } else {
        unknown();
      }
    }
  }
  return out;
}

struct Walk {
  const NftRuleset& ruleset;
  const VrrpPacket& packet;
  std::optional<ChainVerdict> uncertain;  // first rule that might have decided otherwise

  // Result of a chain: a terminal verdict, or nullopt to continue in the caller.
  // `is_goto_return` is irrelevant here: both return to the caller of the base chain.
  std::optional<ChainVerdict> run(const NftChainId& id, int depth) {
    if (depth > kMaxDepth) {
      ChainVerdict v;
      v.rule_text = "jump depth exceeded";
      return v;
    }
    for (const NftRule* rule : ruleset.rules_of(id)) {
      const RuleEval r = evaluate_rule(*rule, packet);
      if (r.match == Match::No || !r.verdict) continue;
      ChainVerdict here;
      here.rule_chain = rule->chain;
      here.rule_handle = rule->handle;
      here.rule_text = describe(rule->exprs);
      here.by_our_rule = rule->comment && *rule->comment == kRuleTag;
      const auto code = r.verdict->code;
      if (code == nft::kAccept || code == nft::kDrop) {
        here.outcome = code == nft::kAccept ? Outcome::Accepted : Outcome::Dropped;
        if (r.match == Match::Unknown) {
          if (!uncertain) uncertain = here;
          continue;
        }
        return here;
      }
      if (code == nft::kJump || code == nft::kGoto) {
        if (r.match == Match::Unknown) {
          if (!uncertain) {
            here.outcome = Outcome::Unknown;
            uncertain = here;
          }
          continue;
        }
        NftChainId target{id.family, id.table, r.verdict->chain};
        auto sub = run(target, depth + 1);
        if (sub) return sub;
        if (code == nft::kGoto) return std::nullopt;
        continue;
      }
      if (code == nft::kReturn) {
        if (r.match == Match::Unknown) {
          if (!uncertain) {
            here.outcome = Outcome::Unknown;
            uncertain = here;
          }
          continue;
        }
        return std::nullopt;
      }
    }
    return std::nullopt;
  }
};

bool can_drop_chain(const NftRuleset& ruleset, const NftChainId& id, int depth) {
  if (depth > kMaxDepth) return true;
  for (const NftRule* rule : ruleset.rules_of(id)) {
    for (const auto& e : rule->exprs) {
      if (std::holds_alternative<RejectExpr>(e)) return true;
      if (const auto* o = std::get_if<OtherExpr>(&e)) {
        if (o->name == "target" && (o->extra == "REJECT" || o->extra == "DROP")) return true;
      }
      if (const auto* v = std::get_if<VerdictExpr>(&e)) {
        if (v->code == nft::kDrop) return true;
        if ((v->code == nft::kJump || v->code == nft::kGoto) &&
            can_drop_chain(ruleset, NftChainId{id.family, id.table, v->chain}, depth + 1)) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Accepted: return "accepted";
    case Outcome::Dropped: return "dropped";
    case Outcome::Unknown: return "unknown";
  }
  return "?";
}

ChainVerdict judge(const NftRuleset& ruleset, const NftChain& chain, const VrrpPacket& packet) {
  Walk walk{ruleset, packet, std::nullopt};
  auto decided = walk.run(chain.id, 0);
  ChainVerdict result;
  if (decided) {
    result = *decided;
  } else {
    result.outcome = chain.policy_drop ? Outcome::Dropped : Outcome::Accepted;
    result.rule_text = chain.policy_drop ? "policy drop" : "policy accept";
  }
  // A rule we could not fully evaluate came first: trust the answer only if that rule would
  // have given the same one.
  if (walk.uncertain && walk.uncertain->outcome != result.outcome) {
    ChainVerdict u = *walk.uncertain;
    u.outcome = Outcome::Unknown;
    u.rule_text = "depends on " + u.rule_text + ", else " + result.rule_text;
    return u;
  }
  return result;
}

bool can_drop(const NftRuleset& ruleset, const NftChain& chain) {
  return chain.policy_drop || can_drop_chain(ruleset, chain.id, 0);
}

}  // namespace lvsctl::firewall
