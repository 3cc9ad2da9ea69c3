#include "shared/send_pending.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace lvsctl {

SendOutcome send_pending(int fd, std::string_view out, std::size_t& written, bool& progressed,
                         std::size_t max_bytes) {
  progressed = false;
  std::size_t budget = max_bytes;
  while (written < out.size()) {
    if (budget == 0) return SendOutcome::Yielded;
    const std::size_t size = std::min(out.size() - written, budget);
    const ssize_t n = ::send(fd, out.data() + written, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return SendOutcome::Blocked;
    if (n <= 0) return SendOutcome::Failed;
    written += static_cast<std::size_t>(n);
    budget -= static_cast<std::size_t>(n);
    progressed = true;
  }
  return SendOutcome::Done;
}

}  // namespace lvsctl
