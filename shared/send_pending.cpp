#include "shared/send_pending.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace lvsctl {

SendOutcome send_pending(int fd, std::string_view out, std::size_t& written, bool& progressed) {
  progressed = false;
  while (written < out.size()) {
    const ssize_t n =
        ::send(fd, out.data() + written, out.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return SendOutcome::Blocked;
    if (n <= 0) return SendOutcome::Failed;
    written += static_cast<std::size_t>(n);
    progressed = true;
  }
  return SendOutcome::Done;
}

}  // namespace lvsctl
