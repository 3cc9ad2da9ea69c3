#include "director/check/tcp_connect.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lvsctl::director::check {
namespace {

SocketAddress to_sockaddr(const IpAddress& ip, std::uint16_t port) {
  SocketAddress a;
  const auto bytes = ip.bytes();
  if (ip.is_v4()) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    std::memcpy(&v4->sin_addr, bytes.data(), bytes.size());
    a.len = sizeof(sockaddr_in);
    a.family = AF_INET;
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    std::memcpy(&v6->sin6_addr, bytes.data(), bytes.size());
    a.len = sizeof(sockaddr_in6);
    a.family = AF_INET6;
  }
  return a;
}

}  // namespace

Result<ConnectSpec> connect_spec(const Endpoint& target, const std::optional<IpAddress>& bindto,
                                 std::optional<std::uint16_t> bind_port) {
  ConnectSpec spec{target, to_sockaddr(target.ip, target.port), std::nullopt, {}};
  if (bindto || bind_port) {
    const IpAddress source = bindto.value_or(IpAddress::unspecified(target.ip.family()));
    if (source.family() != target.ip.family()) {
      return Error{"bindto " + source.to_string() + " and " + target.ip.to_string() +
                       " are of different families",
                   EINVAL};
    }
    spec.source = to_sockaddr(source, bind_port.value_or(0));
    spec.source_text = (bindto ? bindto->to_string() : std::string("*")) + ":" +
                       std::to_string(bind_port.value_or(0));
  }
  return spec;
}

Result<Fd> start_connect(const ConnectSpec& spec, int socket_type, int protocol) {
  const SocketAddress& dst = spec.destination;
  Fd fd{::socket(dst.family, socket_type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)};
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

Result<Fd> start_connect(const Endpoint& target, const std::optional<IpAddress>& bindto,
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
