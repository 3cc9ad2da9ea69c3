#pragma once
// An address and port to listen on, as written on the command line or in global_defs
// (`--metrics-listen`, `metrics_listen`): "ADDR:PORT" or "[V6ADDR]:PORT", port 1-65535. Pure.
#include <cstdint>
#include <string>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::config {

struct ListenEndpoint {
  IpAddress address;
  std::uint16_t port = 0;
  std::string to_string() const;  // "203.0.113.1:9650", "[2001:db8::1]:9650"
  bool operator==(const ListenEndpoint&) const = default;
};

// The error names the value and says what is wrong.
Result<ListenEndpoint> parse_listen_endpoint(const std::string& text);

}  // namespace lvsctl::director::config
