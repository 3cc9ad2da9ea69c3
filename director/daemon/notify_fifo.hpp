#pragma once
// NotifyFifo: keepalived's notify_fifo / vrrp_notify_fifo. State changes are written to a FIFO as
// one line each (keepalived's format: `INSTANCE "VI_1" MASTER 100`, `GROUP "G1" BACKUP 0`).
// Never blocking: the FIFO is opened O_RDWR | O_NONBLOCK (the open never waits for a reader and a
// write never raises SIGPIPE); a line that does not fit in the pipe (no reader, or a stalled one)
// is dropped whole and counted, never written in part (each line is below PIPE_BUF).
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// `TYPE "NAME" STATE PRIORITY` as keepalived writes it (no newline).
std::string notify_fifo_line(std::string_view type, std::string_view name, std::string_view state,
                             int priority);

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
