#pragma once
// Talking to the lab from outside its namespaces: a TCP socket is made inside a namespace
// (setns there and back on this thread; the socket keeps that namespace), then used here.
// Every call has a deadline; non-blocking sockets and poll, so a silent peer costs at most it.
#include <chrono>
#include <string>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::lab {

// A TCP socket (non-blocking) in namespace /run/netns/`ns`.
Result<Fd> tcp_socket_in(const std::string& ns);

// Connects from `ns` to address:port within `timeout`; the connection is closed at once.
Status tcp_connect(const std::string& ns, const std::string& address, unsigned short port,
                   std::chrono::milliseconds timeout);

// An HTTP GET / from `ns` to address:port; the body's first line (the lab's services answer
// with their real server's name). Error: refused, reset, timed out, or no body.
Result<std::string> http_get_name(const std::string& ns, const std::string& address,
                                  unsigned short port, std::chrono::milliseconds timeout);

}  // namespace lvsctl::lab
