#pragma once
// Starting a non-blocking TCP connect (the first step of TCP_CHECK, HTTP_GET and SSL_GET).
#include <sys/socket.h>

#include <optional>
#include <string>

#include "director/check/check_config.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

// A socket address (IPv4 or IPv6) in the form connect() and bind() take.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_UNSPEC;
};

// What one checker connects to and from, built once so a check only opens a socket.
struct ConnectSpec {
  Endpoint target;
  SocketAddress destination;
  std::optional<SocketAddress> source;  // bindto / bind_port
  std::string source_text;              // "203.0.113.14:0", "*:4000": for error messages
};

// The socket addresses; error: bindto of another family than the target.
Result<ConnectSpec> connect_spec(const Endpoint& target, const std::optional<IpAddress>& bindto,
                                 std::optional<std::uint16_t> bind_port);

// Opens a non-blocking socket, binds it to the source when given and starts connecting.
// The connect is usually still in progress: wait for writable, then read connect_error().
// socket_type SOCK_DGRAM: a connected UDP socket (connect() then only sets the peer); with
// `protocol` IPPROTO_ICMP[V6], a ping socket (SOCK_DGRAM) or raw ICMP socket (SOCK_RAW).
Result<Fd> start_connect(const ConnectSpec& spec, int socket_type = SOCK_STREAM, int protocol = 0);
Result<Fd> start_connect(const Endpoint& target, const std::optional<IpAddress>& bindto,
                         std::optional<std::uint16_t> bind_port);

// SO_ERROR of a socket whose connect finished: 0 on success, else the errno.
int connect_error(int fd);

}  // namespace lvsctl::director::check
