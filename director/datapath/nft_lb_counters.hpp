#pragma once
// Reads the backends map (NAT) or dr_backends map (DR) back with each element's counter, for
// `director status`. Adapter: no decisions; runs on the status thread with its own socket.
#include <vector>

#include "director/datapath/nft_lb_status.hpp"
#include "shared/nft/nft_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath::nftlb {

Result<std::vector<SlotCounter>> read_slot_counters(NftSocket& socket, bool dr);

}  // namespace lvsctl::director::datapath::nftlb
