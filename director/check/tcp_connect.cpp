#include "director/check/tcp_connect.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lvsctl::director::check {
namespace {

Result<SocketAddress> to_sockaddr(const std::string& ip, std::uint16_t port) {
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.len = sizeof(sockaddr_in);
    a.family = AF_INET;
  } else if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.len = sizeof(sockaddr_in6);
    a.family = AF_INET6;
  } else {
    return Error{"not an IP address: '" + ip + "'", EINVAL};
  }
  return a;
}

}  // namespace

Endpoint connect_target(const RealServerConfig& server, const CheckerConfig& checker) {
  Endpoint e = server.address;
  if (checker.connect_ip) e.ip = *checker.connect_ip;
  if (checker.connect_port) e.port = *checker.connect_port;
  return e;
}

Result<ConnectSpec> connect_spec(const Endpoint& target, const std::optional<std::string>& bindto,
                                 std::optional<std::uint16_t> bind_port) {
  auto dst = to_sockaddr(target.ip, target.port);
  if (!dst) return dst.error();
  ConnectSpec spec{target, *dst, std::nullopt, {}};
  if (bindto || bind_port) {
    auto src = to_sockaddr(bindto.value_or(dst->family == AF_INET ? "0.0.0.0" : "::"), bind_port.value_or(0));
    if (!src) return src.error();
    if (src->family != dst->family) {
      return Error{"bindto " + *bindto + " and " + target.ip + " are of different families", EINVAL};
    }
    spec.source = *src;
    spec.source_text = bindto.value_or("*") + ":" + std::to_string(bind_port.value_or(0));
  }
  return spec;
}

Result<Fd> start_connect(const ConnectSpec& spec) {
  const SocketAddress& dst = spec.destination;
  Fd fd{::socket(dst.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP)};
  if (!fd) return Error::from_errno("socket");
  if (spec.source) {
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&spec.source->storage), spec.source->len) != 0) {
      return Error::from_errno("bind to " + spec.source_text);
    }
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&dst.storage), dst.len) != 0 && errno != EINPROGRESS) {
    return Error::from_errno("connect to " + to_string(spec.target));
  }
  return fd;
}

Result<Fd> start_connect(const Endpoint& target, const std::optional<std::string>& bindto,
                         std::optional<std::uint16_t> bind_port) {
  auto spec = connect_spec(target, bindto, bind_port);
  if (!spec) return spec.error();
  return start_connect(*spec);
}

int connect_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

}  // namespace lvsctl::director::check
