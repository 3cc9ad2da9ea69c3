#pragma once
// RouteSocket: the one owner of a libnl-route-3 rtnetlink socket (NETLINK_ROUTE), connected in
// the caller's network namespace. Move-only; frees the socket on destruction. libnl types stay
// out of this header so that pure code including it does not pull netlink headers in.
#include <string>

#include "shared/result.hpp"

struct nl_sock;

namespace lvsctl::netlink {

class RouteSocket {
 public:
  // Allocates and connects a socket. Errors: ENOMEM, or the errno of socket()/bind().
  static Result<RouteSocket> open();

  RouteSocket(const RouteSocket&) = delete;
  RouteSocket& operator=(const RouteSocket&) = delete;
  RouteSocket(RouteSocket&& other) noexcept;
  RouteSocket& operator=(RouteSocket&& other) noexcept;
  ~RouteSocket();

  nl_sock* get() const { return sock_; }

 private:
  explicit RouteSocket(nl_sock* sock) : sock_(sock) {}
  nl_sock* sock_ = nullptr;
};

// Turns a libnl error (negative NLE_* as returned by libnl calls) into an Error whose `code` is
// the matching errno (EPERM, EEXIST, EADDRNOTAVAIL, ...; EIO when there is none) and whose
// message is "<what>: <libnl's text>".
Error netlink_error(std::string what, int nl_err);

}  // namespace lvsctl::netlink
