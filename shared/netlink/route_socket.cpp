#include "shared/netlink/route_socket.hpp"

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace lvsctl::netlink {

Result<RouteSocket> RouteSocket::open() {
  nl_sock* sock = nl_socket_alloc();
  if (sock == nullptr) return Error{"allocating a netlink socket: out of memory", ENOMEM};
  if (const int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
    nl_socket_free(sock);
    return netlink_error("connecting an rtnetlink socket", err);
  }
  return RouteSocket(sock);
}

RouteSocket::RouteSocket(RouteSocket&& other) noexcept : sock_(std::exchange(other.sock_, nullptr)) {}

RouteSocket& RouteSocket::operator=(RouteSocket&& other) noexcept {
  if (this != &other) {
    if (sock_ != nullptr) nl_socket_free(sock_);
    sock_ = std::exchange(other.sock_, nullptr);
  }
  return *this;
}

RouteSocket::~RouteSocket() {
  if (sock_ != nullptr) nl_socket_free(sock_);
}

namespace {

int errno_of(int nl_err) {
  switch (std::abs(nl_err)) {
    case NLE_INTR: return EINTR;
    case NLE_BAD_SOCK: return EBADF;
    case NLE_AGAIN: return EAGAIN;
    case NLE_NOMEM: return ENOMEM;
    case NLE_EXIST: return EEXIST;
    case NLE_INVAL: return EINVAL;
    case NLE_RANGE: return ERANGE;
    case NLE_MSGSIZE: return EMSGSIZE;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_NOADDR: return EADDRNOTAVAIL;
    case NLE_BUSY: return EBUSY;
    case NLE_NOACCESS: return EACCES;
    case NLE_PERM: return EPERM;
    case NLE_NODEV: return ENODEV;
    default: return EIO;
  }
}

}  // namespace

Error netlink_error(std::string what, int nl_err) {
  return Error{std::move(what) + ": " + nl_geterror(nl_err), errno_of(nl_err)};
}

}  // namespace lvsctl::netlink
