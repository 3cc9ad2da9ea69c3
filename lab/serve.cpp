#include "lab/serve.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "shared/fd.hpp"

namespace lvsctl::lab {

namespace {

using Clock = std::chrono::steady_clock;

// Reads the request head (up to a blank line, 4 KiB or the deadline); false when the client
// sent nothing usable (a health check's bare connect).
bool read_request(int fd, Clock::time_point deadline) {
  std::string head;
  char buf[1024];
  while (head.size() < 4096 && head.find("\r\n\r\n") == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return false;
    }
    head.append(buf, static_cast<std::size_t>(n));
  }
  return head.rfind("GET ", 0) == 0 || head.rfind("HEAD ", 0) == 0;
}

void answer(int fd, const std::string& name) {
  const std::string body = name + "\n";
  const std::string reply = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  // The reply fits in the socket buffer; a client that does not read loses it.
  (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
}

}  // namespace

int run_serve(const std::string& name, unsigned short port) {
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener) {
    std::perror("lvsctl lab serve: socket");
    return 1;
  }
  const int one = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener.get(), 128) != 0) {
    std::fprintf(stderr, "lvsctl lab serve: port %u: %s\n", port, std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "lvsctl lab serve: %s listening on :%u\n", name.c_str(), port);
  for (;;) {
    Fd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) continue;
      std::perror("lvsctl lab serve: accept");
      return 1;
    }
    if (read_request(conn.get(), Clock::now() + std::chrono::seconds(2))) {
      answer(conn.get(), name);
      // Drain what is left so close() does not turn into a reset that loses the reply.
      char sink[512];
      pollfd p{conn.get(), POLLIN, 0};
      while (::poll(&p, 1, 200) > 0 && ::recv(conn.get(), sink, sizeof sink, 0) > 0) {
      }
    }
  }
}

}  // namespace lvsctl::lab
