#pragma once
// The daemon's control socket (a Unix stream socket in the run directory). One request line in,
// one response out, then the connection closes. `lvsctl director status` is the client.
//
// Served on the daemon's event loop without ever blocking it: the listening socket and every
// client are non-blocking and watched on the loop. Limits (ControlLimits) keep any client from
// holding the daemon or its memory: a client has `request_deadline` to send its line (at most
// `max_request` bytes, see ControlRequest), at most `max_clients` are served at once (further
// connections get an error line and are closed at once), and a reply is written as the client
// reads it, the connection closed when the client reads nothing for `write_stall` or the whole
// exchange outlives `answer_deadline`.
//
// A response may be sent later and from another thread (ControlReply): it is handed back to the
// loop, which writes it, so a request that needs a slow kernel dump does not hold the loop.
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

struct ControlLimits {
  std::size_t max_request = 4096;
  std::size_t max_clients = 16;
  std::chrono::milliseconds request_deadline{2000};  // connect -> complete request line
  std::chrono::milliseconds write_stall{2000};       // reply pending, client reads nothing
  std::chrono::milliseconds answer_deadline{60000};  // connect -> reply fully written
};

class ReplyMailbox;  // replies handed from any thread to the loop (control_socket.cpp)

// One client's pending response. Move-only; send() hands the response over (the connection
// closes once it is written). Dropped unsent, it closes the connection: the client sees an empty
// answer. Safe to send or drop from any thread, also after the ControlSocket is gone.
class ControlReply {
 public:
  // A reply written directly on the calling thread (blocking, 1 s send timeout per write): for
  // tests and simple callers without a ControlSocket.
  explicit ControlReply(Fd client);
  ControlReply(std::shared_ptr<ReplyMailbox> mailbox, std::uint64_t client);
  ControlReply(ControlReply&& other) noexcept;
  ControlReply& operator=(ControlReply&& other) noexcept;
  ControlReply(const ControlReply&) = delete;
  ControlReply& operator=(const ControlReply&) = delete;
  ~ControlReply();

  void send(const std::string& response) &&;

 private:
  void drop();
  Fd direct_;
  std::shared_ptr<ReplyMailbox> mailbox_;
  std::uint64_t client_ = 0;
};

class ControlSocket {
 public:
  using Handler = std::function<void(const std::string& request, ControlReply reply)>;

  // Binds and listens on `path` (mode 0600; with `group`: that group, mode 0660, so its members
  // may connect), replacing a stale socket file left by a dead daemon, and serves it on `loop`
  // until destroyed.
  static Result<std::unique_ptr<ControlSocket>> listen(EventLoop& loop, const std::string& path,
                                                       Handler handler, ControlLimits limits = {},
                                                       std::optional<gid_t> group = std::nullopt);

  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  // Closes every client and the socket; unlinks the path only while it is still our socket.
  ~ControlSocket();

  // Our socket file is still at path() (same inode): false once it was removed or replaced.
  bool still_ours() const;
  const std::string& path() const { return path_; }
  std::size_t clients() const { return clients_.size(); }

 private:
  struct Client;
  ControlSocket(EventLoop& loop, Fd listener, std::string path, Handler handler,
                ControlLimits limits);
  Status start();
  void accept_clients();
  void on_client(std::uint64_t id, uint32_t events);
  void read_request(Client& client);
  void reply_now(Client& client, std::string response);
  void take_replies();
  void write_reply(std::uint64_t id);
  void close_client(std::uint64_t id);
  void arm_deadline(Client& client, std::chrono::milliseconds delay);

  EventLoop& loop_;
  Fd listener_;
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  Handler handler_;
  ControlLimits limits_;
  Clock::time_point last_busy_log_{};
  std::shared_ptr<ReplyMailbox> mailbox_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Client>> clients_;
  std::uint64_t next_id_ = 1;
};

// Client side: sends `request` and returns the whole response. Error when nobody listens at
// `path` (code ENOENT/ECONNREFUSED), when no complete answer arrives within `timeout` (the
// whole exchange, code ETIMEDOUT), or when the answer is empty.
Result<std::string> query_control_socket(const std::string& path, const std::string& request,
                                         std::chrono::milliseconds timeout);

}  // namespace lvsctl::director
