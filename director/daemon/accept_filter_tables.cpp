#include "director/daemon/accept_filter_tables.hpp"

#include <spdlog/spdlog.h>

#include "director/daemon/accept_filter.hpp"
#include "shared/nft/nft_batch.hpp"
#include "shared/nft/nft_rule_write.hpp"
#include "shared/nft/nft_socket.hpp"

namespace lvsctl::director {
namespace {

Status write_tables(const std::vector<IpAddress>& vips) {
  NftBatch batch;
  for (const NftFamily family : {NftFamily::Ip, NftFamily::Ip6}) {
    delete_nft_table_if_any(batch, family, kAcceptFilterTable);
  }
  std::uint32_t next_set_id = 1;
  for (const auto& table : accept_filter_tables(vips)) {
    add_nft_table(batch, table.family, table.name);
    for (const auto& chain : table.chains) add_nft_base_chain(batch, chain);
    for (const auto& [chain, exprs] : table.rules) {
      if (auto st = add_nft_rule(batch, chain, exprs, next_set_id, {{}, true}); !st) return st;
    }
  }
  batch.finish();
  auto socket = NftSocket::open();
  if (!socket) return socket.error();
  return socket->send_batch(batch.data(), batch.size());
}

}  // namespace

AcceptFilterTables::~AcceptFilterTables() {
  if (auto st = clear(); !st) spdlog::warn("no_accept filter: {}", st.error().message);
}

Status AcceptFilterTables::apply(const std::vector<IpAddress>& vips) {
  tried_ = true;
  wanted_ = vips;
  written_ = true;  // even a failed transaction may leave an old run's tables: clear() tries
  return write_tables(vips);
}

Status AcceptFilterTables::clear() {
  if (!written_) return {};
  written_ = false;
  tried_ = false;
  wanted_.clear();
  return write_tables({});
}

}  // namespace lvsctl::director
