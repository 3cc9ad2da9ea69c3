#include "lab/probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "shared/net_namespace.hpp"

namespace lvsctl::lab {

namespace {

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

Status wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, ms_left(deadline));
    if (n > 0) return {};
    if (n == 0) return Error{std::string("timed out ") + what, ETIMEDOUT};
    if (errno != EINTR) return Error::from_errno(std::string("poll while ") + what);
  }
}

Result<Fd> connected(const std::string& ns, const std::string& address, unsigned short port,
                     Clock::time_point deadline) {
  auto sock = tcp_socket_in(ns);
  if (!sock) return sock.error();
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &to.sin_addr) != 1) {
    return Error{"not an IPv4 address: " + address};
  }
  if (::connect(sock->get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 &&
      errno != EINPROGRESS) {
    return Error::from_errno("connect");
  }
  if (auto st = wait_for(sock->get(), POLLOUT, deadline, "connecting"); !st) return st.error();
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(sock->get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return Error::from_errno("connect", err);
  return std::move(*sock);
}

}  // namespace

Result<Fd> tcp_socket_in(const std::string& ns) {
  Fd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!home) return Error::from_errno("cannot open this thread's network namespace");
  auto target = open_net_namespace(ns);
  if (!target) return target.error();
  if (::setns(target->get(), CLONE_NEWNET) != 0) return Error::from_errno("setns " + ns);
  Fd sock(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  const int saved = errno;
  if (::setns(home.get(), CLONE_NEWNET) != 0) {
    // Staying in the lab's namespace would send everything after this to the wrong place.
    std::perror("lvsctl lab: cannot return to the original network namespace");
    std::abort();
  }
  if (!sock) return Error::from_errno("socket in " + ns, saved);
  return sock;
}

Status tcp_connect(const std::string& ns, const std::string& address, unsigned short port,
                   std::chrono::milliseconds timeout) {
  auto sock = connected(ns, address, port, Clock::now() + timeout);
  if (!sock) return sock.error();
  return {};
}

Result<std::string> http_get_name(const std::string& ns, const std::string& address,
                                  unsigned short port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto sock = connected(ns, address, port, deadline);
  if (!sock) return sock.error();
  const std::string request = "GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
  if (::send(sock->get(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return Error::from_errno("send");
  }
  std::string answer;
  char buf[2048];
  while (answer.size() < 16384) {
    if (auto st = wait_for(sock->get(), POLLIN, deadline, "waiting for the answer"); !st) {
      return st.error();
    }
    const ssize_t n = ::recv(sock->get(), buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Error::from_errno("recv");
    }
    answer.append(buf, static_cast<std::size_t>(n));
  }
  const auto body = answer.find("\r\n\r\n");
  if (answer.rfind("HTTP/1.", 0) != 0 || body == std::string::npos) {
    return Error{"not an HTTP answer"};
  }
  std::string name = answer.substr(body + 4);
  name = name.substr(0, name.find('\n'));
  if (name.empty()) return Error{"empty answer"};
  return name;
}

}  // namespace lvsctl::lab
