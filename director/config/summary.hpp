#pragma once
// A human summary of a Config for `check-config`: one line per VRRP instance (VRID, state,
// priority, interface, VIPs) and per virtual server, with its real servers and their checkers.
#include <string>

#include "director/config/model.hpp"

namespace lvsctl::director::config {

std::string summarize(const Config& config);

}  // namespace lvsctl::director::config
