#pragma once
// Input of the health-check engine: what to check on each real server, with every inherited
// value and default already resolved (the daemon maps the keepalived.conf model onto this).
// Defaults below are keepalived 2.2.7's (man 5 keepalived.conf): retry 1 (MISC_CHECK 0),
// delay_before_retry 1 s (HTTP_GET/SSL_GET 3 s), connect_timeout 5 s, delay_loop 60 s,
// warmup = delay_loop, status_code 200-299.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/process.hpp"

namespace lvsctl::director::check {

using Duration = std::chrono::microseconds;

enum class CheckerKind : std::uint8_t { Tcp, HttpGet, SslGet, Misc };
const char* to_string(CheckerKind kind);  // "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK"

// An IPv4 or IPv6 address as text ("203.0.113.10", "2001:db8::1") and a port.
struct Endpoint {
  std::string ip;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};
std::string to_string(const Endpoint& e);  // "203.0.113.10:80", "[2001:db8::1]:80"

struct StatusRange {
  int low = 200;
  int high = 299;
  bool operator==(const StatusRange&) const = default;
};

struct UrlSpec {
  std::string path = "/";
  std::optional<std::string> digest;     // MD5 of the body, hex (case-insensitive)
  std::vector<StatusRange> status_codes;  // empty: 200-299
  std::optional<std::string> virtualhost;  // Host header / SNI; empty: the connect address
  bool operator==(const UrlSpec&) const = default;
};

struct CheckerConfig {
  CheckerKind kind = CheckerKind::Tcp;

  // Connection (TCP_CHECK, HTTP_GET, SSL_GET): defaults to the real server's address/port.
  std::optional<std::string> connect_ip;
  std::optional<std::uint16_t> connect_port;
  std::optional<std::string> bindto;
  std::optional<std::uint16_t> bind_port;
  Duration connect_timeout = std::chrono::seconds(5);

  // Scheduling (all kinds).
  unsigned retry = 1;
  Duration delay_before_retry = std::chrono::seconds(1);
  Duration delay_loop = std::chrono::seconds(60);
  Duration warmup = std::chrono::seconds(60);  // first check at 0..warmup (random); 0: at once
  bool alpha = false;                           // start down until the first success

  // HTTP_GET / SSL_GET.
  std::vector<UrlSpec> urls;
  std::string http_protocol = "1.0";  // "1.0", "1.0C" (1.0 + Connection: close) or "1.1"
  bool enable_sni = false;            // SSL_GET: send the virtualhost (or connect IP) as SNI

  // MISC_CHECK.
  std::string misc_path;  // a command line: split into argv (shared/script_command), no shell
  Duration misc_timeout = std::chrono::seconds(60);
  bool misc_dynamic = false;  // exit 2..255 = up with weight (code - 2)
  // Who runs misc_path (the daemon resolves `user`, script_user, ... and vets the script once);
  // nullopt: as the daemon runs.
  std::optional<Credentials> misc_run_as;

  // Refused before it ever ran (script security refused its MISC_CHECK script): never probed, it
  // keeps its start-up state (up; down with alpha), as keepalived 2.2.7 drops such a checker.
  bool disabled = false;

  bool operator==(const CheckerConfig&) const = default;
};

struct RealServerConfig {
  Endpoint address;
  int weight = 1;
  std::vector<CheckerConfig> checkers;
  bool operator==(const RealServerConfig&) const = default;
};

// Sensible keepalived defaults for a checker of `kind`, for callers that build configs by hand.
CheckerConfig default_checker(CheckerKind kind);

}  // namespace lvsctl::director::check
