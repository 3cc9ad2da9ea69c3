#pragma once
// send_pending: the rest of a reply written to a non-blocking socket without ever blocking, for
// the daemon's servers (control socket, metrics endpoint). Adapter.
#include <cstddef>
#include <string_view>

namespace lvsctl {

enum class SendOutcome {
  Done,     // everything is sent
  Blocked,  // the peer's buffer is full: wait until the socket is writable
  Failed,   // the peer went away or the socket failed: close it
  Yielded,  // max_bytes went out: send the rest at the next loop turn (wait until writable)
};

// What a daemon's server sends per loop turn to one client: a reply of megabytes (a scrape, a
// status of thousands of real servers) goes out in slices, so no turn copies more than this and
// a due VRRP advert waits for at most one slice.
inline constexpr std::size_t kSendPerTurn = 64 * 1024;

// Sends out[written..] with MSG_NOSIGNAL | MSG_DONTWAIT, advancing `written`, at most max_bytes
// in this call; `progressed` is set when at least one byte went out (so a stall deadline can be
// re-armed).
SendOutcome send_pending(int fd, std::string_view out, std::size_t& written, bool& progressed,
                         std::size_t max_bytes = kSendPerTurn);

}  // namespace lvsctl
