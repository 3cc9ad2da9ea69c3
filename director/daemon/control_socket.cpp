#include "director/daemon/control_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace lvsctl::director {
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

// Reads until end of file (or the first newline when `until_newline`). `timed_out`: the receive
// timeout expired first.
std::string read_all(int fd, bool until_newline, bool* timed_out = nullptr) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && timed_out) *timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (until_newline && out.find('\n') != std::string::npos) break;
  }
  return out;
}

bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

void ControlReply::send(const std::string& response) && {
  if (client_) write_all(client_.get(), response);
  client_.reset();
}

Result<ControlSocket> ControlSocket::listen(const std::string& path) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Error::from_errno("cannot create control socket");
  // The pid file lock already proved no other daemon owns this run directory, so a leftover
  // socket file is stale.
  ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un)) != 0 ||
      ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 16) != 0) {
    const int err = errno;
    ::close(fd);
    return Error::from_errno("cannot listen on control socket " + path, err);
  }
  return ControlSocket(fd, path);
}

ControlSocket::ControlSocket(ControlSocket&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

ControlSocket& ControlSocket::operator=(ControlSocket&& other) noexcept {
  if (this != &other) {
    this->~ControlSocket();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

ControlSocket::~ControlSocket() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(path_.c_str());
  fd_ = -1;
}

void ControlSocket::serve(const Handler& handler) {
  for (;;) {
    Fd client(::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC));
    if (!client) return;  // EAGAIN: nobody else waiting
    set_timeout(client.get(), SO_RCVTIMEO, std::chrono::milliseconds(200));
    set_timeout(client.get(), SO_SNDTIMEO, std::chrono::seconds(1));
    std::string request = read_all(client.get(), true);
    if (auto nl = request.find('\n'); nl != std::string::npos) request.resize(nl);
    handler(request, ControlReply(std::move(client)));
  }
}

Result<std::string> query_control_socket(const std::string& path, const std::string& request,
                                         std::chrono::milliseconds timeout) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("cannot create socket");
  set_timeout(fd.get(), SO_RCVTIMEO, timeout);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un)) != 0) {
    return Error::from_errno("no running lvsctl director answers at " + path);
  }
  if (!write_all(fd.get(), request + "\n")) return Error{"cannot send request to " + path};
  ::shutdown(fd.get(), SHUT_WR);
  bool timed_out = false;
  std::string response = read_all(fd.get(), false, &timed_out);
  if (timed_out) {
    return Error{fmt::format("the director at {} did not answer within {} s", path,
                             std::chrono::duration<double>(timeout).count()),
                 ETIMEDOUT};
  }
  if (response.empty()) return Error{"the director at " + path + " closed without answering"};
  return response;
}

}  // namespace lvsctl::director
