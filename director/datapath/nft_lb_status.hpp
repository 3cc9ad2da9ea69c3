#pragma once
// `director status` for the nftables datapath: the tables as applied, listed as IPVS values
// (services, destinations with weight and forwarding) with the counters nftables keeps per map
// element. Pure.
//   NAT: the backends map's element counters count the first packet of each connection (the nat
//        chain sees nothing else): `connections` per real server and per service.
//   DR:  the dr_backends map's counters count every client packet forwarded (no conntrack at
//        ingress): `in_packets` / `in_bytes` per real server and per service.
// A counter restarts when its slot changes owner (a health change), as IPVS's do when a
// destination is removed.
#include <cstdint>
#include <string>
#include <vector>

#include "director/datapath/datapath.hpp"
#include "director/datapath/nft_lb_table.hpp"
#include "director/ipvs/model.hpp"

namespace lvsctl::director::datapath::nftlb {

// One backends-map element as read back: the key, what it maps to, and its counter.
struct SlotCounter {
  ServiceKey key;
  std::uint32_t slot = 0;
  Endpoint backend;  // NAT: address and port; DR: mac only
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
};

// The applied services (NAT and DR) with their desired settings and counters.
ipvs::Table listing(const ipvs::Table& desired, const Table& nat, const Table& dr,
                    const std::vector<SlotCounter>& nat_counts,
                    const std::vector<SlotCounter>& dr_counts);

// One note per VIP of `desired` the datapath carries but `held` does not hold.
std::vector<std::string> not_held_notes(const ipvs::Table& desired, const HeldVips& held);

}  // namespace lvsctl::director::datapath::nftlb
