#pragma once
// The daemon's control socket (a Unix stream socket in the run directory). One request line in,
// one response out, then the connection closes. `lvsctl director status` is the client.
// A response may be sent later and from another thread (ControlReply), so a request that needs
// a slow kernel dump does not hold the daemon's event loop.
#include <chrono>
#include <functional>
#include <string>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// One client's pending response: owns the connection. Move-only; send() writes the response and
// closes the connection (a client that stops reading is dropped after a send timeout of 1 s
// per write). Dropped unsent, it closes the connection: the client sees an empty answer.
class ControlReply {
 public:
  explicit ControlReply(Fd client) : client_(std::move(client)) {}
  void send(const std::string& response) &&;

 private:
  Fd client_;
};

class ControlSocket {
 public:
  using Handler = std::function<void(const std::string& request, ControlReply reply)>;

  // Binds and listens on `path`, replacing a stale socket file left by a dead daemon.
  static Result<ControlSocket> listen(const std::string& path);

  ControlSocket(ControlSocket&& other) noexcept;
  ControlSocket& operator=(ControlSocket&& other) noexcept;
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  ~ControlSocket();  // closes and unlinks

  int fd() const { return fd_; }

  // Call when fd() is readable: accepts pending clients and hands each request to `handler`
  // with the reply to send (now or later). A client that sends nothing is dropped after a short
  // receive timeout, so the event loop is never held for long.
  void serve(const Handler& handler);

 private:
  ControlSocket(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// Client side: sends `request` and returns the whole response. Error when nobody listens at
// `path`, when no complete answer arrives within `timeout`, or when the answer is empty.
Result<std::string> query_control_socket(const std::string& path, const std::string& request,
                                         std::chrono::milliseconds timeout);

}  // namespace lvsctl::director
