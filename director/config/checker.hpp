#pragma once
// A health checker of one real server: the one model of a checker, from keepalived.conf to the
// check engine. The builder (build_checker.cpp) reads a checker block into it, build_resolve.cpp
// fills what the block inherits (virtual server -> real server -> checker) and keepalived's
// per-kind defaults (checker_defaults() below, the one place they are written), and the check
// engine (director/check) probes it as it is. Addresses are typed (`IpAddress` + port) end to end.
//
// Adding a checker kind: its enumerator and row in kCheckerKinds (checker.cpp), its settings
// struct in CheckSpec, its keywords (build_checker.cpp), its probe (director/check/probe.cpp).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shared/conf/diagnostic.hpp"
#include "shared/ip_address.hpp"
#include "shared/process.hpp"

namespace lvsctl::director::config {

using conf::Location;
// Timers in keepalived.conf are seconds with fractions, resolution one microsecond.
using Duration = std::chrono::microseconds;

// A program keepalived runs (notify_*, quorum_up/down, misc_path, vrrp_script `script`):
// the command as written (a quoted string may carry arguments) and an optional user/group.
struct ScriptCommand {
  std::string command;
  std::optional<std::string> user;
  std::optional<std::string> group;
  Location where;
};

enum class CheckerKind : std::uint8_t { Tcp, HttpGet, SslGet, Misc, Udp, Dns, Ping, Smtp, File };

// How a kind's failures are retried (keepalived 2.2.7's epilogs, see checker_state.hpp):
//   Always    TCP_CHECK, SMTP_CHECK: every failure is retried, also while down.
//   Http      HTTP_GET/SSL_GET: retried while up; once down, two successes to come back.
//   WhileUp   MISC_CHECK, UDP_CHECK: retried while up; while down, once per delay_loop.
enum class RetryStyle : std::uint8_t { Always, Http, WhileUp };

// keepalived 2.2.7's defaults of a checker kind (man 5 keepalived.conf and its parser).
struct CheckerDefaults {
  unsigned retry = 1;                                      // MISC_CHECK 0
  Duration delay_before_retry = std::chrono::seconds(1);  // HTTP_GET/SSL_GET 3 s
  bool connects = true;  // has connect_ip/connect_port/bindto/connect_timeout
  RetryStyle retry_style = RetryStyle::Always;
};
CheckerDefaults checker_defaults(CheckerKind kind);
const char* to_string(CheckerKind k);  // "TCP_CHECK", "HTTP_GET", ..., "FILE_CHECK"

// An address and a port: where a checker connects to.
struct Endpoint {
  IpAddress ip;
  std::uint16_t port = 0;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};
std::string to_string(const Endpoint& e);  // "203.0.113.10:80", "[2001:db8::1]:80"

struct StatusCodeRange {
  int low = 200;
  int high = 299;
  friend bool operator==(const StatusCodeRange&, const StatusCodeRange&) = default;
};

struct UrlCheck {
  std::string path;  // required in a url block
  std::optional<std::string> digest;          // MD5 of the body, lowercase hex
  std::vector<StatusCodeRange> status_codes;  // empty: 200-299 (the builder fills it in)
  std::optional<std::string> virtualhost;     // resolved: url, checker, real, virtual server
  Location where;
  // Settings only: where it was written does not change what is checked.
  friend bool operator==(const UrlCheck& a, const UrlCheck& b) {
    return a.path == b.path && a.digest == b.digest && a.status_codes == b.status_codes &&
           a.virtualhost == b.virtualhost;
  }
};

struct TcpCheck {
  friend bool operator==(const TcpCheck&, const TcpCheck&) = default;
};

struct HttpCheck {  // HTTP_GET and SSL_GET
  bool tls = false;
  std::vector<UrlCheck> urls;
  std::optional<std::string> virtualhost;
  std::string http_protocol = "1.0";  // 1.0 | 1.0C (1.0 + Connection: close) | 1.1
  bool enable_sni = false;            // SSL_GET: the virtualhost (or none) as SNI
  friend bool operator==(const HttpCheck&, const HttpCheck&) = default;
};

struct MiscCheck {
  ScriptCommand path;   // misc_path (+ `user`): split into argv (shared/script_command), no shell
  Duration timeout{0};  // resolved: misc_timeout or delay_loop
  bool dynamic = false;  // exit 2..255 = up with weight (code - 2)
  // Who runs the script: set by the daemon, which resolves `user`, script_user, ... and vets the
  // script once; nullopt: as the daemon runs.
  std::optional<Credentials> run_as;
  friend bool operator==(const MiscCheck& a, const MiscCheck& b) {
    return a.path.command == b.path.command && a.path.user == b.path.user &&
           a.path.group == b.path.group && a.timeout == b.timeout && a.dynamic == b.dynamic &&
           a.run_as == b.run_as;
  }
};

// UDP_CHECK: one datagram, then an ICMP error is down; a reply is checked when required.
struct UdpCheck {
  std::vector<std::uint8_t> payload;     // `payload` (hex); empty: an empty datagram
  bool require_reply = false;            // silence within connect_timeout is down
  std::vector<std::uint8_t> reply;       // `require_reply` data (hex): the reply's first octets
  std::vector<std::uint8_t> reply_mask;  // bits of `reply` left free by x nibbles; empty: none
  unsigned min_reply_length = 0;         // with reply data: the reply's length bounds
  unsigned max_reply_length = 255;
  friend bool operator==(const UdpCheck&, const UdpCheck&) = default;
};

// DNS_CHECK: one query, the answer validated (id, rcode, question).
struct DnsCheck {
  friend bool operator==(const DnsCheck&, const DnsCheck&) = default;
};

// PING_CHECK: an ICMP / ICMPv6 echo request answered by an echo reply.
struct PingCheck {
  friend bool operator==(const PingCheck&, const PingCheck&) = default;
};

// SMTP_CHECK: the 220 greeting, `HELO helo_name` answered by 250, then QUIT answered by a line.
// keepalived 2.2.7's deprecated `host { }` blocks each become one more SMTP_CHECK checker.
struct SmtpCheck {
  std::string helo_name = "smtpchecker.keepalived.org";  // keepalived's SMTP_DEFAULT_HELO
  friend bool operator==(const SmtpCheck&, const SmtpCheck&) = default;
};

// FILE_CHECK: the real server's weight or down from a tracked file's content.
struct FileCheck {
  friend bool operator==(const FileCheck&, const FileCheck&) = default;
};

using CheckSpec =
    std::variant<TcpCheck, HttpCheck, MiscCheck, UdpCheck, DnsCheck, PingCheck, SmtpCheck, FileCheck>;

// A health checker of one real server, with every inherited value resolved.
struct Checker {
  CheckerKind kind = CheckerKind::Tcp;
  // Connection (not MISC_CHECK): resolved to the real server's address and port when not given.
  Endpoint connect;
  std::optional<IpAddress> bindto;
  std::optional<std::uint16_t> bind_port;
  Duration connect_timeout = std::chrono::seconds(5);
  // Scheduling.
  unsigned retry = 1;
  Duration delay_before_retry = std::chrono::seconds(1);
  Duration delay_loop = std::chrono::seconds(60);
  Duration warmup = std::chrono::seconds(60);  // first check at 0..warmup (random); 0: at once
  bool alpha = false;                          // start down until the first success
  CheckSpec spec;
  // Refused before it ever ran (script security refused its MISC_CHECK script; set by the
  // daemon): never probed, it keeps its start-up state (up; down with alpha), as keepalived
  // 2.2.7 drops such a checker.
  bool disabled = false;
  Location where;

  // The same checker settings (the location does not count): a reload keeps its health.
  friend bool operator==(const Checker& a, const Checker& b) {
    return a.kind == b.kind && a.connect == b.connect && a.bindto == b.bindto &&
           a.bind_port == b.bind_port && a.connect_timeout == b.connect_timeout &&
           a.retry == b.retry && a.delay_before_retry == b.delay_before_retry &&
           a.delay_loop == b.delay_loop && a.warmup == b.warmup && a.alpha == b.alpha &&
           a.spec == b.spec && a.disabled == b.disabled;
  }
};

// A checker of `kind` with keepalived's defaults, connecting to `target`: for callers that
// build checkers by hand (tests, benchmarks).
Checker default_checker(CheckerKind kind, Endpoint target = {});

}  // namespace lvsctl::director::config
