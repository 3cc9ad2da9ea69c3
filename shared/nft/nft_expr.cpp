#include "shared/nft/nft_expr.hpp"

#include <fmt/format.h>

namespace lvsctl {

const char* family_name(NftFamily f) {
  switch (f) {
    case NftFamily::Inet: return "inet";
    case NftFamily::Ip: return "ip";
    case NftFamily::Ip6: return "ip6";
  }
  return "?";
}

std::string to_string(const NftChainId& id) {
  return fmt::format("{} {} {}", family_name(id.family), id.table, id.chain);
}

}  // namespace lvsctl
