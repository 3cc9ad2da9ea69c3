#pragma once
// The IPVS table the configuration asks for, given the health of every real server. Pure.
//
// keepalived's semantics:
// - a virtual_server is one IPVS service (a virtual_server_group one per address/range entry and
//   fwmark of the group); its real servers are destinations with the configured weight;
// - a real server the checkers hold DOWN leaves the table, or stays with weight 0 when
//   inhibit_on_failure is set;
// - while a virtual server has lost its quorum (QuorumState: live weight against quorum and
//   hysteresis) and has a sorry_server, the sorry server (weight 1) replaces the live real
//   servers: they leave the table (with inhibit_on_failure they stay with weight 0); with quorum
//   the sorry server is absent (sorry_server_inhibit: present with weight 0).
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "director/config/model.hpp"
#include "director/ipvs/model.hpp"
#include "director/ipvs/timeouts.hpp"

namespace lvsctl::director {

// Where one real server stands: `up`, and the weight to use while up (the configured one, or
// what MISC_CHECK misc_dynamic reported).
struct DestinationHealth {
  bool up = true;
  int weight = 1;
};

// Health of the real servers and quorum of the virtual servers (indexes into
// Config::virtual_servers and VirtualServer::real_servers).
struct HealthLookup {
  std::function<DestinationHealth(std::size_t vs, std::size_t rs)> real_server;
  std::function<bool(std::size_t vs)> quorum_up;
};

// Every real server up with its configured weight (no checkers ran yet, or none configured);
// quorum held when the total weight reaches it.
HealthLookup all_healthy(const config::Config& config);

// global_defs' lvs_timeouts in seconds (0 where not set; all 0 without the keyword).
ipvs::Timeouts lvs_timeouts(const config::GlobalDefs& global);

// Sum of the weights of the live real servers of virtual server `vs` (what quorum is judged on).
long live_weight(const config::Config& config, std::size_t vs,
                 const std::function<DestinationHealth(std::size_t vs, std::size_t rs)>& health);

ipvs::Table desired_table(const config::Config& config, const HealthLookup& health);

// The desired table kept between health changes, so that a change of a few real servers
// recomputes only their virtual servers' services (not 10,000 of them) and hands the datapath
// just the services that differ.
class DesiredTable {
 public:
  // The whole table for `config` (start, reload).
  void rebuild(const config::Config& config, const HealthLookup& health);

  // The virtual servers `changed` (indexes into config.virtual_servers) have new health or
  // quorum: their services are recomputed. Returns the services whose destinations or weights
  // now differ (in table order; none when nothing differs), or nullopt when the table was built
  // for another configuration and had to be rebuilt whole (then apply table()). A service
  // shadowed by an earlier one with the same key (the first wins everywhere) is never returned.
  std::optional<std::vector<ipvs::Service>> update(const config::Config& config,
                                                   const HealthLookup& health,
                                                   std::span<const std::size_t> changed);

  const ipvs::Table& table() const { return table_; }

 private:
  ipvs::Table table_;
  std::vector<std::size_t> first_;  // per virtual server: its first service; then table_.size()
  std::vector<bool> shadowed_;      // per service: an earlier service has the same key
};

}  // namespace lvsctl::director
