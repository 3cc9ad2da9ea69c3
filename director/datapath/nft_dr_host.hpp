#pragma once
// What the DR table needs from the host, read over rtnetlink (libmnl): an interface's index and
// MAC, the IPv4 neighbour table, and a resolution request for a real server whose MAC is
// missing (RTM_NEWNEIGH with NTF_USE: the kernel sends ARP, as `ip neigh replace ADDR dev IF
// use` does). Adapter: no decisions.
#include <string>
#include <vector>

#include "director/datapath/nft_lb_table.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath::nftlb {

// Index and MAC of each named interface; names not found are left out.
DrFacts::Interface interface_facts(const std::string& ifname, bool& found);
// IPv4 neighbours with a usable MAC (REACHABLE, STALE, DELAY, PROBE, PERMANENT, NOARP).
Result<std::map<IpAddress, Mac>> read_neighbours();
// Asks the kernel to resolve `address` on `ifname` (sends ARP); the answer lands in the table.
Status resolve_neighbour(const IpAddress& address, const std::string& ifname);

}  // namespace lvsctl::director::datapath::nftlb
