#include "director/daemon/control_socket.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "director/daemon/control_request.hpp"
#include "shared/json_writer.hpp"
#include "shared/send_pending.hpp"

namespace lvsctl::director {

// Responses (or "close it": nullopt) for clients, posted from any thread, taken by the loop.
class ReplyMailbox {
 public:
  explicit ReplyMailbox(Fd event) : event_(std::move(event)) {}
  int fd() const { return event_.get(); }

  void post(std::uint64_t client, std::optional<std::string> response) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      posted_.emplace_back(client, std::move(response));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_.get(), &one, sizeof one);
  }

  std::vector<std::pair<std::uint64_t, std::optional<std::string>>> take() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(event_.get(), &count, sizeof count);
    std::lock_guard lock(mutex_);
    return std::exchange(posted_, {});
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    posted_.clear();
  }

 private:
  Fd event_;
  std::mutex mutex_;
  std::vector<std::pair<std::uint64_t, std::optional<std::string>>> posted_;  // guarded
  bool closed_ = false;                                                       // guarded
};

namespace {

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Error{"control socket path too long: " + path, ENAMETOOLONG};
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

void set_timeout(int fd, int option, std::chrono::microseconds timeout) {
  const auto usec = timeout.count();
  timeval tv{static_cast<time_t>(usec / 1000000), static_cast<suseconds_t>(usec % 1000000)};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string error_line(const std::string& message) {
  return "{\"error\": " + JsonWriter::escape(message) + "}\n";
}

}  // namespace

// --- ControlReply --------------------------------------------------------------------------

ControlReply::ControlReply(Fd client) : direct_(std::move(client)) {
  if (direct_) set_timeout(direct_.get(), SO_SNDTIMEO, std::chrono::seconds(1));
}

ControlReply::ControlReply(std::shared_ptr<ReplyMailbox> mailbox, std::uint64_t client)
    : mailbox_(std::move(mailbox)), client_(client) {}

ControlReply::ControlReply(ControlReply&& other) noexcept
    : direct_(std::move(other.direct_)),
      mailbox_(std::move(other.mailbox_)),
      client_(std::exchange(other.client_, 0)) {}

ControlReply& ControlReply::operator=(ControlReply&& other) noexcept {
  if (this != &other) {
    drop();
    direct_ = std::move(other.direct_);
    mailbox_ = std::move(other.mailbox_);
    client_ = std::exchange(other.client_, 0);
  }
  return *this;
}

ControlReply::~ControlReply() { drop(); }

void ControlReply::drop() {
  direct_.reset();
  if (mailbox_) mailbox_->post(client_, std::nullopt);
  mailbox_.reset();
}

void ControlReply::send(const std::string& response) && {
  if (direct_) write_all(direct_.get(), response);
  direct_.reset();
  if (mailbox_) mailbox_->post(client_, response);
  mailbox_.reset();
}

// --- ControlSocket -------------------------------------------------------------------------

struct ControlSocket::Client {
  enum class Phase { Reading, Answering, Writing };
  Client(std::uint64_t client_id, Fd client_fd, std::size_t max_request)
      : id(client_id), fd(std::move(client_fd)), request(max_request) {}
  std::uint64_t id;
  Fd fd;
  ControlRequest request;
  Phase phase = Phase::Reading;
  std::string out;
  std::size_t written = 0;
  TimerId deadline = 0;  // the phase's: request line, or write progress
  TimerId overall = 0;   // the whole exchange
};

Result<std::unique_ptr<ControlSocket>> ControlSocket::listen(EventLoop& loop,
                                                             const std::string& path,
                                                             Handler handler,
                                                             ControlLimits limits,
                                                             std::optional<gid_t> group) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return Error::from_errno("cannot create control socket");
  // The pid file lock already proved no other daemon owns this run directory, so a leftover
  // socket file is stale. (Only a socket: any other file there is an error, not ours to remove.)
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Error{"cannot listen on control socket " + path + ": a file that is not a socket is "
                   "in the way", EEXIST};
    }
    ::unlink(path.c_str());
  }
  // Created 0600 from the start (umask), not chmod-ed after: no window for other users.
  const mode_t old_umask = ::umask(0177);
  const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un));
  const int bind_errno = errno;
  ::umask(old_umask);
  if (bound != 0) return Error::from_errno("cannot listen on control socket " + path, bind_errno);
  // The group's members may connect (read status); the run dir (ours alone) holds the path.
  if (group && (::chown(path.c_str(), static_cast<uid_t>(-1), *group) != 0 ||
                ::chmod(path.c_str(), 0660) != 0)) {
    const int err = errno;
    ::unlink(path.c_str());
    return Error::from_errno(fmt::format("cannot give control socket {} to group {}", path, *group),
                             err);
  }
  if (::listen(fd.get(), 64) != 0 || ::lstat(path.c_str(), &st) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Error::from_errno("cannot listen on control socket " + path, err);
  }
  Fd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!event) {
    ::unlink(path.c_str());
    return Error::from_errno("eventfd");
  }
  std::unique_ptr<ControlSocket> socket(
      new ControlSocket(loop, std::move(fd), path, std::move(handler), limits));
  socket->dev_ = st.st_dev;
  socket->ino_ = st.st_ino;
  socket->mailbox_ = std::make_shared<ReplyMailbox>(std::move(event));
  if (auto started = socket->start(); !started) return started.error();
  return socket;
}

ControlSocket::ControlSocket(EventLoop& loop, Fd listener, std::string path, Handler handler,
                             ControlLimits limits)
    : loop_(loop),
      listener_(std::move(listener)),
      path_(std::move(path)),
      handler_(std::move(handler)),
      limits_(limits) {}

Status ControlSocket::start() {
  if (auto st = loop_.watch(listener_.get(), io::kReadable, [this](uint32_t) { accept_clients(); });
      !st) {
    return st;
  }
  return loop_.watch(mailbox_->fd(), io::kReadable, [this](uint32_t) { take_replies(); });
}

ControlSocket::~ControlSocket() {
  while (!clients_.empty()) close_client(clients_.begin()->first);
  if (mailbox_) {
    loop_.unwatch(mailbox_->fd());
    mailbox_->close();
  }
  if (listener_) {
    loop_.unwatch(listener_.get());
    if (still_ours()) ::unlink(path_.c_str());
  }
}

bool ControlSocket::still_ours() const {
  struct stat st {};
  return ::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

void ControlSocket::accept_clients() {
  // Bounded per round, so a connection flood cannot hold the loop (the rest wait in the backlog
  // for the next round).
  for (int round = 0; round < 64; ++round) {
    Fd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;  // EAGAIN: nobody else waiting
    if (clients_.size() >= limits_.max_clients) {
      const std::string busy = error_line(fmt::format(
          "busy: {} clients are being served; try again", limits_.max_clients));
      [[maybe_unused]] const ssize_t n =
          ::send(fd.get(), busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      const auto now = loop_.now();
      if (now - last_busy_log_ >= std::chrono::seconds(10)) {
        last_busy_log_ = now;
        spdlog::warn("control socket: {} clients already served; refusing more (logged at most "
                     "every 10 s)", limits_.max_clients);
      }
      continue;  // closed
    }
    const std::uint64_t id = next_id_++;
    auto client = std::make_unique<Client>(id, std::move(fd), limits_.max_request);
    const int cfd = client->fd.get();
    if (auto st = loop_.watch(cfd, io::kReadable, [this, id](uint32_t events) { on_client(id, events); });
        !st) {
      spdlog::warn("control socket: {}", st.error().message);
      continue;
    }
    Client& c = *client;
    clients_.emplace(id, std::move(client));
    arm_deadline(c, limits_.request_deadline);
    c.overall = loop_.after(limits_.answer_deadline, [this, id] {
      if (auto it = clients_.find(id); it != clients_.end()) it->second->overall = 0;
      spdlog::debug("control socket: client {} not answered within {} ms; closed", id,
                    limits_.answer_deadline.count());
      close_client(id);
    });
  }
}

void ControlSocket::arm_deadline(Client& client, std::chrono::milliseconds delay) {
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);
  const std::uint64_t id = client.id;
  client.deadline = loop_.after(delay, [this, id] {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    it->second->deadline = 0;
    spdlog::debug("control socket: client {} too slow ({}); closed", id,
                  it->second->phase == Client::Phase::Reading ? "request" : "reading the reply");
    close_client(id);
  });
}

void ControlSocket::on_client(std::uint64_t id, uint32_t events) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  if (client.phase == Client::Phase::Reading) {
    read_request(client);
  } else if (client.phase == Client::Phase::Writing) {
    if (events & (io::kWritable | io::kError | io::kHangup)) write_reply(id);
  }
}

void ControlSocket::read_request(Client& client) {
  char buf[4096];
  auto state = client.request.state();
  // At most max_request + 2 bytes are ever taken: the parser is final by then.
  while (state == ControlRequest::State::Incomplete) {
    const ssize_t n = ::recv(client.fd.get(), buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // wait for more
    if (n < 0) {
      close_client(client.id);
      return;
    }
    state = n == 0 ? client.request.end_of_input()
                   : client.request.feed(std::string_view(buf, static_cast<size_t>(n)));
  }
  if (state == ControlRequest::State::Empty) {
    close_client(client.id);
    return;
  }
  if (state != ControlRequest::State::Complete) {
    reply_now(client, error_line(client.request.error()));
    return;
  }
  // Answering: nothing more is read; the fd is not watched until the reply is there.
  client.phase = Client::Phase::Answering;
  loop_.unwatch(client.fd.get());
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);
  client.deadline = 0;
  handler_(client.request.line(), ControlReply(mailbox_, client.id));
}

void ControlSocket::reply_now(Client& client, std::string response) {
  client.phase = Client::Phase::Writing;
  client.out = std::move(response);
  client.written = 0;
  write_reply(client.id);
}

void ControlSocket::take_replies() {
  for (auto& [id, response] : mailbox_->take()) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;  // closed meanwhile (deadline)
    if (!response) {
      close_client(id);
      continue;
    }
    reply_now(*it->second, std::move(*response));
  }
}

void ControlSocket::write_reply(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  bool progress = false;
  const SendOutcome sent = send_pending(client.fd.get(), client.out, client.written, progress);
  if (sent == SendOutcome::Failed) {
    close_client(id);
    return;
  }
  if (sent == SendOutcome::Done) {
    close_client(id);
    return;
  }
  // The client has not taken it all (or one slice of kSendPerTurn went out: the rest at the next
  // turns, so a big status answer never holds the loop): wait until it reads, for at most
  // write_stall each time.
  if (progress || client.deadline == 0) arm_deadline(client, limits_.write_stall);
  if (auto st = loop_.watch(client.fd.get(), io::kWritable,
                            [this, id](uint32_t events) { on_client(id, events); });
      !st) {
    close_client(id);
  }
}

void ControlSocket::close_client(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  loop_.unwatch(client.fd.get());
  if (client.deadline != 0) loop_.cancel_timer(client.deadline);
  if (client.overall != 0) loop_.cancel_timer(client.overall);
  clients_.erase(it);  // closes the fd
}

// --- client side ---------------------------------------------------------------------------

Result<std::string> query_control_socket(const std::string& path, const std::string& request,
                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto too_late = [&] {
    return Error{fmt::format("the director at {} did not answer within {} s", path,
                             std::chrono::duration<double>(timeout).count()),
                 ETIMEDOUT};
  };
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("cannot create socket");
  // A daemon whose backlog is full makes connect() wait: for the timeout at most.
  set_timeout(fd.get(), SO_SNDTIMEO, timeout);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un)) != 0) {
    const int err = errno;
    if (err == EAGAIN || err == EINPROGRESS || err == ETIMEDOUT) return too_late();
    return Error::from_errno("no running lvsctl director answers at " + path, err);
  }
  if (!write_all(fd.get(), request + "\n")) return Error{"cannot send request to " + path};
  ::shutdown(fd.get(), SHUT_WR);
  std::string response;
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return too_late();
    pollfd p{fd.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Error::from_errno("poll");
    if (ready == 0) continue;  // the deadline check above decides
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  if (response.empty()) return Error{"the director at " + path + " closed without answering"};
  return response;
}

}  // namespace lvsctl::director
