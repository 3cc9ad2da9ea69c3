#pragma once
// Reads the backends map (NAT) or dr_backends map (DR) back with each element's counter, for
// `director status`. Adapter: no decisions; runs on the status thread with its own socket.
#include <vector>

#include "director/datapath/nft_lb_status.hpp"
#include "director/datapath/nft_lb_table.hpp"
#include "shared/nft/nft_socket.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath::nftlb {

// The counters of the elements `applied` (the table as applied) holds, asked for by key, a few
// hundred keys per request: the kernel's work grows with the elements. Should that fail (the
// table changed meanwhile), the whole map is dumped instead. (A dump is read in 32 KiB parts
// and the kernel walks the map's hash from its start for each part, skipping what it sent:
// quadratic, about a second for 100 services of 840 slots each.)
Result<std::vector<SlotCounter>> read_slot_counters(NftSocket& socket, bool dr,
                                                    const Table& applied);
// The whole map, dumped.
Result<std::vector<SlotCounter>> dump_slot_counters(NftSocket& socket, bool dr);

}  // namespace lvsctl::director::datapath::nftlb
