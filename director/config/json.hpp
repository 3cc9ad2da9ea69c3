#pragma once
// The normalised model as JSON (`check-config --json`): keys are keepalived.conf's keywords,
// timers are seconds (numbers, fractions allowed), every element carries "source":
// "file:line:col". Top level: global, vrrp_scripts, vrrp_sync_groups, vrrp_instances,
// virtual_server_groups, virtual_servers (each with real_servers, each with checkers).
// auth_pass is not printed (only whether one is set).
#include <string>

#include "director/config/model.hpp"
#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director::config {

std::string to_json(const Config& config);

// The diagnostics of a check as JSON: {"file", "valid", "errors", "warnings", "diagnostics":
// [{"file", "line", "column", "severity": "error"|"warning", "message"}]}.
std::string diagnostics_json(const std::string& file, const conf::Diagnostics& diags);

}  // namespace lvsctl::director::config
