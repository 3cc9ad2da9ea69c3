#pragma once
// Starting a non-blocking TCP connect (the first step of TCP_CHECK, HTTP_GET and SSL_GET).
#include <optional>
#include <string>

#include "director/check/check_config.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

// Where a checker connects: connect_ip / connect_port, else the real server's.
Endpoint connect_target(const RealServerConfig& server, const CheckerConfig& checker);

// Opens a non-blocking socket, binds it to bindto/bind_port when given and starts connecting.
// The connect is usually still in progress: wait for writable, then read connect_error().
Result<Fd> start_connect(const Endpoint& target, const std::optional<std::string>& bindto,
                         std::optional<std::uint16_t> bind_port);

// SO_ERROR of a socket whose connect finished: 0 on success, else the errno.
int connect_error(int fd);

}  // namespace lvsctl::director::check
