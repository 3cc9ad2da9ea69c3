#pragma once
// The IPVS table the configuration asks for, given the health of every real server. Pure.
//
// keepalived's semantics:
// - a virtual_server is one IPVS service (a virtual_server_group one per address/range entry and
//   fwmark of the group); its real servers are destinations with the configured weight;
// - a real server the checkers hold DOWN leaves the table, or stays with weight 0 when
//   inhibit_on_failure is set;
// - when the weight of the live real servers falls below quorum (minus hysteresis), the
//   sorry_server is added (weight 1); it leaves again once quorum is back.
#include <cstddef>
#include <functional>
#include <optional>

#include "director/config/model.hpp"
#include "director/ipvs/model.hpp"

namespace lvsctl::director {

// Where one real server stands: `up`, and the weight to use while up (the configured one, or
// what MISC_CHECK misc_dynamic reported).
struct DestinationHealth {
  bool up = true;
  int weight = 1;
};

// Health of real server `rs` of virtual server `vs` (indexes into Config::virtual_servers and
// VirtualServer::real_servers).
using HealthLookup = std::function<DestinationHealth(std::size_t vs, std::size_t rs)>;

// Every real server up with its configured weight (no checkers ran yet, or none configured).
HealthLookup all_healthy(const config::Config& config);

ipvs::Address to_ipvs(const config::IpAddress& address);

ipvs::Table desired_table(const config::Config& config, const HealthLookup& health);

}  // namespace lvsctl::director
