#include "firewall/nft_vrrp_rule.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace lvsctl::firewall {
namespace {

constexpr std::size_t kIfNameSize = 16;  // IFNAMSIZ
constexpr std::uint8_t kNfprotoIpv4 = 2;
constexpr std::uint8_t kNfprotoIpv6 = 10;

Bytes peer_bytes(const IpAddress& p) {
  return Bytes(p.bytes().begin(), p.bytes().end());
}

std::string hex(const Bytes& b) {
  std::string s = "0x";
  for (auto c : b) s += fmt::format("{:02x}", c);
  return s;
}

std::string address_text(const Bytes& b) {
  if (b.size() == 4) return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
  if (b.size() == 16) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
    return buf;
  }
  return hex(b);
}

const char* cmp_op_text(nft::CmpOp op) {
  switch (op) {
    case nft::CmpOp::Eq: return "";
    case nft::CmpOp::Neq: return "!= ";
    case nft::CmpOp::Lt: return "< ";
    case nft::CmpOp::Lte: return "<= ";
    case nft::CmpOp::Gt: return "> ";
    case nft::CmpOp::Gte: return ">= ";
  }
  return "? ";
}

}  // namespace

bool family_carries(NftFamily family, AddressFamily v) {
  if (family == NftFamily::Inet) return true;
  return (family == NftFamily::Ip) == (v == AddressFamily::V4);
}

std::vector<Expr> build_vrrp_rule(NftFamily family, AddressFamily v, const VrrpRequest& request) {
  std::vector<Expr> out;
  const bool v4 = v == AddressFamily::V4;
  if (request.interface) {
    Bytes name(kIfNameSize, 0);
    std::copy_n(request.interface->begin(), std::min(request.interface->size(), kIfNameSize - 1),
                name.begin());
    out.emplace_back(MetaExpr{nft::kMetaIifname, nft::kReg1});
    out.emplace_back(CmpExpr{nft::kReg1, nft::CmpOp::Eq, std::move(name)});
  }
  if (family == NftFamily::Inet) {
    out.emplace_back(MetaExpr{nft::kMetaNfproto, nft::kReg1});
    out.emplace_back(CmpExpr{nft::kReg1, nft::CmpOp::Eq, Bytes{v4 ? kNfprotoIpv4 : kNfprotoIpv6}});
  }
  if (v4) {  // ip protocol vrrp
    out.emplace_back(PayloadExpr{nft::kPayloadNetwork, 9, 1, nft::kReg1});
  } else {   // meta l4proto vrrp: skips IPv6 extension headers
    out.emplace_back(MetaExpr{nft::kMetaL4proto, nft::kReg1});
  }
  out.emplace_back(CmpExpr{nft::kReg1, nft::CmpOp::Eq, Bytes{kVrrpProtocol}});
  const auto peers = request.peers_of(v);
  if (!peers.empty()) {
    const std::uint32_t len = v4 ? 4 : 16;
    out.emplace_back(PayloadExpr{nft::kPayloadNetwork, v4 ? 12u : 8u, len, nft::kReg1});
    if (peers.size() == 1) {
      out.emplace_back(CmpExpr{nft::kReg1, nft::CmpOp::Eq, peer_bytes(peers[0])});
    } else {
      LookupExpr lookup;
      lookup.sreg = nft::kReg1;
      lookup.set = "__set%d";
      for (const auto& p : peers) {
        auto b = peer_bytes(p);
        if (std::find(lookup.elements.begin(), lookup.elements.end(), b) ==
            lookup.elements.end()) {
          lookup.elements.push_back(std::move(b));
        }
      }
      std::sort(lookup.elements.begin(), lookup.elements.end());
      lookup.elements_known = true;
      out.emplace_back(std::move(lookup));
    }
  }
  out.emplace_back(VerdictExpr{nft::kAccept, {}});
  return out;
}

std::string vrrp_rule_text(NftFamily family, AddressFamily v, const VrrpRequest& request) {
  const bool v4 = v == AddressFamily::V4;
  std::string s;
  if (request.interface) s += fmt::format("iifname \"{}\" ", *request.interface);
  if (v4) {
    s += "ip protocol vrrp ";
  } else {
    s += family == NftFamily::Inet ? "meta nfproto ipv6 meta l4proto vrrp " : "meta l4proto vrrp ";
  }
  const auto peers = request.peers_of(v);
  if (peers.size() == 1) {
    s += fmt::format("{} saddr {} ", v4 ? "ip" : "ip6", peers[0].to_string());
  } else if (peers.size() > 1) {
    std::vector<std::string> texts;
    for (const auto& p : peers) texts.push_back(p.to_string());
    s += fmt::format("{} saddr {{ {} }} ", v4 ? "ip" : "ip6", fmt::join(texts, ", "));
  }
  s += "accept";
  return s;
}

std::string describe(const std::vector<Expr>& exprs) {
  std::vector<std::string> parts;
  std::string pending;  // the left-hand side loaded into a register, waiting for its cmp
  for (const auto& e : exprs) {
    if (const auto* m = std::get_if<MetaExpr>(&e)) {
      switch (m->key) {
        case nft::kMetaIifname: pending = "iifname"; break;
        case nft::kMetaIif: pending = "iif"; break;
        case nft::kMetaL4proto: pending = "meta l4proto"; break;
        case nft::kMetaNfproto: pending = "meta nfproto"; break;
        case nft::kMetaProtocol: pending = "meta protocol"; break;
        case nft::kMetaPkttype: pending = "meta pkttype"; break;
        default: pending = fmt::format("meta key {}", m->key);
      }
    } else if (const auto* p = std::get_if<PayloadExpr>(&e)) {
      if (p->base == nft::kPayloadNetwork && p->offset == 9 && p->len == 1) {
        pending = "ip protocol";
      } else if (p->base == nft::kPayloadNetwork && p->offset == 12 && p->len == 4) {
        pending = "ip saddr";
      } else if (p->base == nft::kPayloadNetwork && p->offset == 8 && p->len == 16) {
        pending = "ip6 saddr";
      } else {
        pending = fmt::format("@{},{},{}", p->base == nft::kPayloadNetwork ? "nh" :
                                           p->base == nft::kPayloadTransport ? "th" : "ll",
                              p->offset * 8, p->len * 8);
      }
    } else if (const auto* c = std::get_if<CmpExpr>(&e)) {
      std::string value;
      if (pending == "iifname") {
        value = fmt::format("\"{}\"", std::string(reinterpret_cast<const char*>(c->data.data()),
                                                  strnlen(reinterpret_cast<const char*>(
                                                              c->data.data()), c->data.size())));
      } else if ((pending == "ip protocol" || pending == "meta l4proto") && c->data.size() == 1) {
        const int v = c->data[0];
        value = v == 112 ? "vrrp" : v == 1 ? "icmp" : v == 6 ? "tcp" : v == 17 ? "udp" :
                v == 58 ? "ipv6-icmp" : std::to_string(v);
      } else if (pending == "meta nfproto" && c->data.size() == 1) {
        value = c->data[0] == 2 ? "ipv4" : c->data[0] == 10 ? "ipv6" : std::to_string(c->data[0]);
      } else if (pending == "ip saddr" || pending == "ip6 saddr") {
        value = address_text(c->data);
      } else {
        value = hex(c->data);
      }
      parts.push_back(fmt::format("{} {}{}", pending.empty() ? "reg" : pending,
                                  cmp_op_text(c->op), value));
      pending.clear();
    } else if (const auto* l = std::get_if<LookupExpr>(&e)) {
      std::string set = l->set;
      if (l->elements_known) {
        auto elements = l->elements;
        std::sort(elements.begin(), elements.end());
        std::vector<std::string> texts;
        for (const auto& el : elements) texts.push_back(address_text(el));
        set = fmt::format("{{ {} }}", fmt::join(texts, ", "));
      } else {
        set = "@" + set;
      }
      parts.push_back(fmt::format("{} {}{}", pending, l->invert ? "!= " : "", set));
      pending.clear();
    } else if (std::holds_alternative<CtExpr>(e)) {
      pending = "ct";
    } else if (std::holds_alternative<BitwiseExpr>(e)) {
      // part of "ct state established,related": keep the pending left-hand side
    } else if (const auto* v = std::get_if<VerdictExpr>(&e)) {
      switch (v->code) {
        case nft::kAccept: parts.emplace_back("accept"); break;
        case nft::kDrop: parts.emplace_back("drop"); break;
        case nft::kJump: parts.push_back("jump " + v->chain); break;
        case nft::kGoto: parts.push_back("goto " + v->chain); break;
        case nft::kReturn: parts.emplace_back("return"); break;
        case nft::kContinue: parts.emplace_back("continue"); break;
        default: parts.push_back(fmt::format("verdict {}", v->code));
      }
    } else if (std::holds_alternative<RejectExpr>(e)) {
      parts.emplace_back("reject");
    } else if (std::holds_alternative<CounterExpr>(e)) {
      parts.emplace_back("counter");
    } else if (const auto* o = std::get_if<OtherExpr>(&e)) {
      parts.push_back(o->extra.empty() ? "<" + o->name + ">"
                                       : fmt::format("<{} {}>", o->name, o->extra));
    }
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace lvsctl::firewall
