#pragma once
// The daemon's one path from a health change to the datapath: the desired table kept between
// changes (DesiredTable) recomputes only the virtual servers whose health or quorum changed,
// and the datapath gets just the services that now differ (Datapath::apply_changed); the whole
// table only when the datapath has no per-service path or the table had to be rebuilt.
// bench/health_change measures this path end to end.
#include <cstddef>
#include <span>
#include <string>

#include "director/config/model.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/datapath/datapath.hpp"

namespace lvsctl::director {

// Returns the datapath's log line, or "" when the desired table did not change.
std::string feed_health_change(DesiredTable& desired, datapath::Datapath& datapath,
                               const config::Config& config, const HealthLookup& health,
                               std::span<const std::size_t> changed,
                               const datapath::HeldVips& held);

}  // namespace lvsctl::director
