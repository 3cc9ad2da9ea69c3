#pragma once
// NotifyFifo: keepalived's notify_fifo / vrrp_notify_fifo. State changes are written to a FIFO as
// one line each (keepalived's format: `INSTANCE "VI_1" MASTER 100`, `GROUP "G1" BACKUP 0`; the
// checker's lines for notify_fifo / lvs_notify_fifo: `VS [203.0.113.1]:tcp:80 UP`,
// `RS [192.0.2.10]:tcp:80 [203.0.113.1]:tcp:80 DOWN`).
// Never blocking: the FIFO is opened O_RDWR | O_NONBLOCK (the open never waits for a reader and a
// write never raises SIGPIPE); a line that does not fit in the pipe (no reader, or a stalled one)
// is dropped whole and counted, never written in part (each line is below PIPE_BUF).
#include <cstdint>
#include <string>
#include <string_view>

#include "director/config/model.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// `TYPE "NAME" STATE PRIORITY` as keepalived writes it (no newline).
std::string notify_fifo_line(std::string_view type, std::string_view name, std::string_view state,
                             int priority);

// keepalived 2.2.7's checker lines (no newline), written where quorum_up/quorum_down and
// notify_up/notify_down run: `VS [ADDR]:PROTO:PORT UP|DOWN` (fwmark: `VS FWM 5 UP`; a
// virtual_server_group: `VS [NAME]:0 UP`) and `RS [ADDR]:PROTO:PORT <VS> UP|DOWN`. PROTO is tcp,
// udp, sctp, or none for fwmark services (keepalived ignores their protocol).
std::string lvs_fifo_vs_line(const config::VirtualServer& vs, bool up);
std::string lvs_fifo_rs_line(const config::VirtualServer& vs, const config::RealServer& rs,
                             bool up);

class NotifyFifo {
 public:
  NotifyFifo() = default;
  // Creates the FIFO (mode 0600) when `path` does not exist; refuses anything that exists and is
  // not a FIFO (ENOTSUP naming what it is).
  static Result<NotifyFifo> open(const std::string& path);

  bool is_open() const { return static_cast<bool>(fd_); }
  const std::string& path() const { return path_; }
  // Writes `line` + '\n'; drops it (counted) when the pipe is full or the write fails.
  void write_line(std::string_view line);
  std::uint64_t written() const { return written_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  Fd fd_;
  std::string path_;
  std::uint64_t written_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace lvsctl::director
