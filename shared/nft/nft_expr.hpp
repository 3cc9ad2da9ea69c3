#pragma once
// nftables rules as values: families, kernel constants, expressions and a chain's identity.
// Pure: the firewall role reads and plans with them, the director builds its own tables from
// them; shared/nft/nft_rule_write turns them into libnftnl messages.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace lvsctl {

// nftables table families we care about (values are the kernel's NFPROTO_* numbers).
enum class NftFamily : std::uint8_t { Inet = 1, Ip = 2, Ip6 = 10 };
const char* family_name(NftFamily f);  // "inet", "ip", "ip6"

// Kernel constants used by the core, spelled out so the core includes no netfilter header.
namespace nft {
inline constexpr std::uint32_t kHookInput = 1;    // NF_INET_LOCAL_IN
inline constexpr std::uint32_t kRegVerdict = 0;   // NFT_REG_VERDICT
inline constexpr std::uint32_t kReg1 = 1;         // NFT_REG_1 (16-byte register 1)
inline constexpr std::uint32_t kMetaNfproto = 15; // NFT_META_NFPROTO
inline constexpr std::uint32_t kMetaL4proto = 16; // NFT_META_L4PROTO
inline constexpr std::uint32_t kMetaProtocol = 2; // NFT_META_PROTOCOL (ethertype)
inline constexpr std::uint32_t kMetaIif = 4;      // NFT_META_IIF
inline constexpr std::uint32_t kMetaIifname = 6;  // NFT_META_IIFNAME
inline constexpr std::uint32_t kMetaPkttype = 19; // NFT_META_PKTTYPE
inline constexpr std::uint32_t kPayloadLink = 0;
inline constexpr std::uint32_t kPayloadNetwork = 1;
inline constexpr std::uint32_t kPayloadTransport = 2;
inline constexpr std::uint32_t kCtState = 0;      // NFT_CT_STATE
enum class CmpOp : std::uint32_t { Eq = 0, Neq = 1, Lt = 2, Lte = 3, Gt = 4, Gte = 5 };
// Verdict codes as the kernel encodes them (NF_DROP, NF_ACCEPT, NFT_CONTINUE, ...).
inline constexpr std::int32_t kDrop = 0;
inline constexpr std::int32_t kAccept = 1;
inline constexpr std::int32_t kContinue = -1;
inline constexpr std::int32_t kBreak = -2;
inline constexpr std::int32_t kJump = -3;
inline constexpr std::int32_t kGoto = -4;
inline constexpr std::int32_t kReturn = -5;
}  // namespace nft

using NftBytes = std::vector<std::uint8_t>;

struct MetaExpr {
  std::uint32_t key = 0;
  std::uint32_t dreg = 0;
  bool operator==(const MetaExpr&) const = default;
};
struct PayloadExpr {
  std::uint32_t base = 0;
  std::uint32_t offset = 0;
  std::uint32_t len = 0;
  std::uint32_t dreg = 0;
  bool operator==(const PayloadExpr&) const = default;
};
struct CmpExpr {
  std::uint32_t sreg = 0;
  nft::CmpOp op = nft::CmpOp::Eq;
  NftBytes data;
  bool operator==(const CmpExpr&) const = default;
};
struct BitwiseExpr {  // dreg = (sreg & mask) ^ xor
  std::uint32_t sreg = 0;
  std::uint32_t dreg = 0;
  NftBytes mask;
  NftBytes xor_;
  bool operator==(const BitwiseExpr&) const = default;
};
struct CtExpr {
  std::uint32_t key = 0;
  std::uint32_t dreg = 0;
  bool operator==(const CtExpr&) const = default;
};
// Set membership. Anonymous sets we create carry their elements; sets read back from the kernel
// carry them when the adapter fetched them (elements_known).
struct LookupExpr {
  std::uint32_t sreg = 0;
  std::string set;
  std::vector<NftBytes> elements;
  bool elements_known = false;
  bool invert = false;
  bool operator==(const LookupExpr&) const = default;
};
struct VerdictExpr {  // immediate into the verdict register
  std::int32_t code = nft::kAccept;
  std::string chain;  // for jump/goto
  bool operator==(const VerdictExpr&) const = default;
};
struct RejectExpr {
  bool operator==(const RejectExpr&) const = default;
};
struct CounterExpr {
  bool operator==(const CounterExpr&) const = default;
};
// Any other expression (log, limit, match/target, ...). `name` is libnftnl's expression name;
// `extra` carries the xtables target/match name for "target"/"match".
struct OtherExpr {
  std::string name;
  std::string extra;
  bool operator==(const OtherExpr&) const = default;
};

using Expr = std::variant<MetaExpr, PayloadExpr, CmpExpr, BitwiseExpr, CtExpr, LookupExpr,
                          VerdictExpr, RejectExpr, CounterExpr, OtherExpr>;

struct NftChainId {
  NftFamily family = NftFamily::Inet;
  std::string table;
  std::string chain;
  bool operator==(const NftChainId&) const = default;
};
std::string to_string(const NftChainId& id);  // "inet filter input"

}  // namespace lvsctl
