#pragma once
// The daemon's control socket (a Unix stream socket in the run directory). One request line in,
// one response out, then the connection closes. `lvsctl director status` is the client.
#include <functional>
#include <string>

#include "shared/result.hpp"

namespace lvsctl::director {

class ControlSocket {
 public:
  using Handler = std::function<std::string(const std::string& request)>;

  // Binds and listens on `path`, replacing a stale socket file left by a dead daemon.
  static Result<ControlSocket> listen(const std::string& path);

  ControlSocket(ControlSocket&& other) noexcept;
  ControlSocket& operator=(ControlSocket&& other) noexcept;
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  ~ControlSocket();  // closes and unlinks

  int fd() const { return fd_; }

  // Call when fd() is readable: accepts pending clients and answers each through `handler`.
  // A client that sends nothing is dropped after a short receive timeout, so the event loop is
  // never held for long.
  void serve(const Handler& handler);

 private:
  ControlSocket(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// Client side: sends `request` and returns the whole response.
Result<std::string> query_control_socket(const std::string& path, const std::string& request);

}  // namespace lvsctl::director
