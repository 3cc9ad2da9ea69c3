#pragma once
// Carries nftlb::Changes to the kernel as ONE nftables transaction (libmnl + libnftnl), in
// lvsctl's own table only. Adapter: no decisions.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "director/datapath/nft_lb_plan.hpp"
#include "shared/nft/nft_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath::nftlb {

// A backends / dr_backends map element's key: VIP . proto . port . slot, as the kernel holds it.
using BackendKeyBytes = std::array<std::uint8_t, 16>;
BackendKeyBytes backend_key(const ServiceKey& k, std::uint32_t slot);

// Messages in the batch sent (0 when `changes` is empty: nothing is sent).
Result<std::size_t> write_changes(NftSocket& socket, const Changes& changes);
// Several tables' changes (NAT and DR) in one transaction.
Result<std::size_t> write_changes(NftSocket& socket, const std::vector<const Changes*>& all);

// Deletes `table ip lvsctl` (`dr`: `table netdev lvsctl`), nothing else; a missing table is
// not an error.
Status delete_table(NftSocket& socket, bool dr = false);

}  // namespace lvsctl::director::datapath::nftlb
