#include "director/daemon/daemon_snapshot.hpp"

#include <fmt/format.h>

namespace lvsctl::director {

std::string VirtualServerSnapshot::label() const {
  if (kind == "fwmark") return fmt::format("FWM {}", fwmark);
  if (kind == "group") return fmt::format("{} group {}", protocol, group);
  if (address.find(':') != std::string::npos) {
    return fmt::format("{} [{}]:{}", protocol, address, port);
  }
  return fmt::format("{} {}:{}", protocol, address, port);
}

int keepalived_state_code(const std::string& state) {
  if (state == "BACKUP") return 1;
  if (state == "MASTER") return 2;
  if (state == "FAULT") return 3;
  return 0;
}

double unix_seconds(WallTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return static_cast<double>(us) / 1e6;
}

Degradation degradation(const DaemonSnapshot& s) {
  Degradation d;
  for (const auto& in : s.vrrp) {
    if (in.state != "FAULT") continue;
    d.reasons.push_back(in.waiting_for.empty()
                            ? fmt::format("VRRP instance {} is in FAULT", in.name)
                            : fmt::format("VRRP instance {} is in FAULT (waiting for interface {})",
                                          in.name, in.waiting_for));
  }
  for (const auto& vs : s.virtual_servers) {
    if (!vs.quorum_up) d.reasons.push_back(fmt::format("virtual server {}: quorum lost", vs.label()));
    for (const auto& rs : vs.real_servers) {
      if (rs.up) continue;
      const std::string endpoint = rs.address.find(':') != std::string::npos
                                       ? fmt::format("[{}]:{}", rs.address, rs.port)
                                       : fmt::format("{}:{}", rs.address, rs.port);
      d.reasons.push_back(fmt::format("virtual server {}: real server {} down{}{}", vs.label(),
                                      endpoint, rs.checks.last_failure_reason.empty() ? "" : ": ",
                                      rs.checks.last_failure_reason));
    }
  }
  if (!s.datapath.available) {
    d.reasons.push_back(fmt::format("datapath {} off: {}", s.datapath.backend,
                                    s.datapath.unavailable_reason));
  }
  return d;
}

}  // namespace lvsctl::director
