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
};

// Sends out[written..] with MSG_NOSIGNAL | MSG_DONTWAIT, advancing `written`; `progressed` is set
// when at least one byte went out (so a stall deadline can be re-armed).
SendOutcome send_pending(int fd, std::string_view out, std::size_t& written, bool& progressed);

}  // namespace lvsctl
