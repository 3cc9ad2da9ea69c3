#pragma once
// Maps the keepalived.conf model (director/config/model.hpp, defaults and inheritance already
// resolved there) onto the engine's input. Pure.
// Not carried over: MISC_CHECK `user` (scripts run as the daemon's user), bind_if, fwmark.
#include <cstddef>
#include <vector>

#include "director/check/check_config.hpp"
#include "director/config/model.hpp"

namespace lvsctl::director::check {

struct CheckOrigin {
  std::size_t virtual_server = 0;  // index in Config::virtual_servers
  std::size_t real_server = 0;     // index in that virtual server's real_servers
};

struct CheckPlan {
  std::vector<RealServerConfig> servers;  // engine input, one per real server of every service
  std::vector<CheckOrigin> origins;       // servers[i] comes from origins[i]
};

CheckerConfig to_checker_config(const config::Checker& checker);
RealServerConfig to_real_server_config(const config::RealServer& real_server);
CheckPlan check_plan(const config::Config& config);

}  // namespace lvsctl::director::check
