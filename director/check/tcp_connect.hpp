#pragma once
// Starting a non-blocking TCP connect (the first step of TCP_CHECK, HTTP_GET and SSL_GET).
#include <sys/socket.h>

#include <optional>
#include <string>

#include "director/check/check_config.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

// Where a checker connects: connect_ip / connect_port, else the real server's.
Endpoint connect_target(const RealServerConfig& server, const CheckerConfig& checker);

// A socket address (IPv4 or IPv6) in the form connect() and bind() take.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_UNSPEC;
};

// What one checker connects to and from, parsed once so a check does no text parsing.
struct ConnectSpec {
  Endpoint target;
  SocketAddress destination;
  std::optional<SocketAddress> source;  // bindto / bind_port
  std::string source_text;              // "203.0.113.14:0", "*:4000": for error messages
};

// Parses the addresses; errors: not an IP address, bindto of another family than the target.
Result<ConnectSpec> connect_spec(const Endpoint& target, const std::optional<std::string>& bindto,
                                 std::optional<std::uint16_t> bind_port);

// Opens a non-blocking socket, binds it to the source when given and starts connecting.
// The connect is usually still in progress: wait for writable, then read connect_error().
Result<Fd> start_connect(const ConnectSpec& spec);
Result<Fd> start_connect(const Endpoint& target, const std::optional<std::string>& bindto,
                         std::optional<std::uint16_t> bind_port);

// SO_ERROR of a socket whose connect finished: 0 on success, else the errno.
int connect_error(int fd);

}  // namespace lvsctl::director::check
