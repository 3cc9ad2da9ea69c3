#pragma once
// The engine's input from the keepalived.conf model (defaults and inheritance already resolved
// there; checkers are taken as they are). Pure. MISC_CHECK `user` is resolved by the daemon, which
// vets the script and sets MiscCheck::run_as / Checker::disabled.
#include <cstddef>
#include <optional>
#include <string>
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

RealServerConfig to_real_server_config(const config::RealServer& real_server);
CheckPlan check_plan(const config::Config& config);

// Names each virtual server across configurations: its address and port, fwmark or group, and
// its protocol ("203.0.113.100:80 TCP"), in Config::virtual_servers order.
std::vector<std::string> virtual_server_keys(const config::Config& config);

// For each server of `next`, the server of `previous` it continues after a reload: same virtual
// server key, same real server address and port, same weight and checkers (so its health and
// check schedule stay valid); nullopt for new or changed ones.
std::vector<std::optional<std::size_t>> continued_servers(
    const std::vector<std::string>& previous_keys, const CheckPlan& previous,
    const std::vector<std::string>& next_keys, const CheckPlan& next);

}  // namespace lvsctl::director::check
