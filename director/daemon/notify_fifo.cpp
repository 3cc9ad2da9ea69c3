#include "director/daemon/notify_fifo.hpp"

#include <fcntl.h>
#include <limits.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "shared/regular_file.hpp"

namespace lvsctl::director {

std::string notify_fifo_line(std::string_view type, std::string_view name, std::string_view state,
                             int priority) {
  return fmt::format("{} \"{}\" {} {}", type, name, state, priority);
}

namespace {

const char* fifo_protocol(const config::VirtualServer& vs) {
  if (!vs.protocol || vs.kind == config::VirtualServerKind::Fwmark) return "none";
  switch (*vs.protocol) {
    case config::Protocol::Udp:
      return "udp";
    case config::Protocol::Sctp:
      return "sctp";
    case config::Protocol::Tcp:
      break;
  }
  return "tcp";
}

// keepalived's inet_sockaddrtotrio: the address in brackets (both families), protocol, port.
std::string trio(const IpAddress& address, const config::VirtualServer& vs, std::uint16_t port) {
  return fmt::format("[{}]:{}:{}", address.to_string(), fifo_protocol(vs), port);
}

std::string fifo_vs(const config::VirtualServer& vs) {
  switch (vs.kind) {
    case config::VirtualServerKind::Fwmark:
      return fmt::format("FWM {}", vs.fwmark);
    case config::VirtualServerKind::Group:
      return fmt::format("[{}]:{}", vs.group, vs.port);
    case config::VirtualServerKind::Address:
      break;
  }
  return trio(vs.address, vs, vs.port);
}

}  // namespace

std::string lvs_fifo_vs_line(const config::VirtualServer& vs, bool up) {
  return fmt::format("VS {} {}", fifo_vs(vs), up ? "UP" : "DOWN");
}

std::string lvs_fifo_rs_line(const config::VirtualServer& vs, const config::RealServer& rs,
                             bool up) {
  return fmt::format("RS {} {} {}", trio(rs.address, vs, rs.port), fifo_vs(vs),
                     up ? "UP" : "DOWN");
}

Result<NotifyFifo> NotifyFifo::open(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Error::from_errno("notify fifo " + path);
    if (::mkfifo(path.c_str(), 0600) != 0 && errno != EEXIST) {
      return Error::from_errno("creating notify fifo " + path);
    }
  } else if (!S_ISFIFO(st.st_mode)) {
    return Error{"notify fifo " + path + " exists and is a " +
                     file_kind(static_cast<unsigned>(st.st_mode)) + ", not a FIFO",
                 ENOTSUP};
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Error::from_errno("opening notify fifo " + path);
  if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
    ::close(fd);
    return Error{"notify fifo " + path + " is not a FIFO", ENOTSUP};
  }
  NotifyFifo out;
  out.fd_ = Fd(fd);
  out.path_ = path;
  return out;
}

void NotifyFifo::write_line(std::string_view line) {
  if (!fd_) return;
  std::string text(line.substr(0, PIPE_BUF - 1));
  text += '\n';
  const ssize_t n = ::write(fd_.get(), text.data(), text.size());
  if (n == static_cast<ssize_t>(text.size())) {
    ++written_;
    return;
  }
  // A write of at most PIPE_BUF bytes to a non-blocking pipe is all or nothing (EAGAIN).
  if (dropped_++ == 0 || dropped_ % 1000 == 0) {
    spdlog::warn("notify fifo {}: a line dropped ({} so far): {}", path_, dropped_,
                 n < 0 ? std::string(std::strerror(errno)) : "short write");
  }
}

}  // namespace lvsctl::director
