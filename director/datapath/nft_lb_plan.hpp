#pragma once
// From the table as applied to the table wanted: the changes of one nftables transaction, and
// the `nft -f` text of a whole table (tests, debugging, `nft list table ip lvsctl`). Pure.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "director/datapath/nft_lb_table.hpp"

namespace lvsctl::director::datapath::nftlb {

// One element of the backends map: VIP.proto.port.slot -> real server.
struct SlotElement {
  ServiceKey key;
  std::uint32_t slot = 0;
  Endpoint backend;
  bool operator==(const SlotElement&) const = default;
};

// A service's chain and its one rule.
struct ServiceChain {
  ServiceKey key;
  Pick pick = Pick::Numgen;
  std::uint32_t slots = 1;
  std::uint32_t persist = 0;  // seconds
  bool operator==(const ServiceChain&) const = default;
};

// In the order the batch carries them: removals first (elements before the chain they jump
// to), then additions (a chain before the element that jumps to it).
struct Changes {
  bool dr = false;            // `table netdev lvsctl` (DR) rather than `table ip lvsctl` (NAT)
  bool create_table = false;  // (re)create the table, its maps and prerouting chain
  std::vector<Ingress> remove_ingress;  // DR: ingress chains (removed before anything else)
  std::vector<SlotElement> remove_backends;
  std::vector<ServiceKey> remove_services;  // the services map element
  std::vector<ServiceKey> remove_chains;
  std::vector<ServiceChain> add_chains;
  std::vector<ServiceKey> add_services;
  std::vector<SlotElement> add_backends;
  std::vector<Ingress> add_ingress;  // DR: ingress chains (added last, once the maps are full)

  bool empty() const;
  // Chains added or removed (a rule change); 0 for a health change.
  std::size_t ruleset_changes() const {
    return remove_chains.size() + add_chains.size() + remove_ingress.size() + add_ingress.size();
  }
  std::size_t element_changes() const;
  std::string to_string() const;  // "2 chains, 24 elements" / "table created, ..."
};

// `actual_exists`: false at start (the table is created, replacing any leftover of ours).
// `dr`: the tables are DR tables (their ingress chains are compared too).
Changes plan(const Table& desired, const Table& actual, bool actual_exists, bool dr = false);

// The whole table as `nft -f` text (map elements in key order, one per line).
std::string render_nft(const Table& table);
// The DR table (`table netdev lvsctl`) as `nft -f` text.
std::string render_dr_nft(const Table& table);

}  // namespace lvsctl::director::datapath::nftlb
