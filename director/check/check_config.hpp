#pragma once
// Input of the health-check engine: the real servers to check, each with its checkers. A checker
// is the keepalived.conf model's (director/config/checker.hpp: settings, keepalived's defaults,
// typed addresses), probed as it is; from_config builds this input from a Config.
#include <cstdint>
#include <vector>

#include "director/config/checker.hpp"

namespace lvsctl::director::check {

using config::Checker;
using config::CheckerKind;
using config::default_checker;
using config::Duration;
using config::Endpoint;
using config::HttpCheck;
using config::MiscCheck;
using config::StatusCodeRange;
using config::TcpCheck;
using config::UrlCheck;
using config::to_string;

struct RealServerConfig {
  Endpoint address;
  int weight = 1;
  std::vector<Checker> checkers;
  bool operator==(const RealServerConfig&) const = default;
};

// A real server built by hand (tests, benchmarks): checkers without a connect port connect to
// the real server's address and port, as build_resolve.cpp resolves them from a config.
RealServerConfig real_server_config(Endpoint address, std::vector<Checker> checkers,
                                    int weight = 1);

}  // namespace lvsctl::director::check
