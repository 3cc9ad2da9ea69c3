#include "director/daemon/control_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

void set_timeout(int fd, int option, long usec) {
  timeval tv{usec / 1000000, usec % 1000000};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

std::string read_all(int fd, bool until_newline) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
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
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) return;  // EAGAIN: nobody else waiting
    set_timeout(client, SO_RCVTIMEO, 200000);
    set_timeout(client, SO_SNDTIMEO, 1000000);
    std::string request = read_all(client, true);
    if (auto nl = request.find('\n'); nl != std::string::npos) request.resize(nl);
    write_all(client, handler(request));
    ::close(client);
  }
}

Result<std::string> query_control_socket(const std::string& path, const std::string& request) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error::from_errno("cannot create socket");
  set_timeout(fd, SO_RCVTIMEO, 5000000);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un)) != 0) {
    const int err = errno;
    ::close(fd);
    return Error::from_errno("no running lvsctl director answers at " + path, err);
  }
  const bool sent = write_all(fd, request + "\n");
  ::shutdown(fd, SHUT_WR);
  std::string response = sent ? read_all(fd, false) : std::string();
  ::close(fd);
  if (!sent) return Error{"cannot send request to " + path};
  return response;
}

}  // namespace lvsctl::director
