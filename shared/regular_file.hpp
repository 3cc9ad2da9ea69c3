#pragma once
// read_regular_file(): the one way lvsctl reads a configuration file (keepalived.conf and its
// includes, realserver.conf). Bounded and never blocking: only a regular file is read (a FIFO,
// a device, a socket or a directory is refused before a byte is read, and opening a FIFO never
// waits for a writer), and never more than `max_bytes` of it.
#include <cstddef>
#include <string>

#include "shared/result.hpp"

namespace lvsctl {

// The most one configuration file may hold (16 MiB): keepalived.conf files are kilobytes; a
// generated one with 10,000 virtual servers is a few MiB.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{16} << 20;

// The text of `path`, or an error ready for a log line:
//   "open PATH: <strerror>"                            (Error::code = errno)
//   "PATH: not a regular file (fifo)"                  (EINVAL; also directory (EISDIR),
//                                                       character device, block device, socket)
//   "PATH: larger than the 16 MiB a configuration file may hold (10737418240 bytes)"  (EFBIG)
//   "PATH: in /proc: configuration is never read from /proc, /sys or /dev"  (EACCES; the path
//                                                       as resolved, symbolic links followed)
// Symbolic links are followed; what they lead to must be a regular file.
Result<std::string> read_regular_file(const std::string& path,
                                      std::size_t max_bytes = kMaxConfigFileBytes);

// "/proc", "/sys" or "/dev" when `path` (symbolic links resolved where it exists, else
// lexically) lies in one of these pseudo file systems, else nullptr.
const char* pseudo_file_system(const std::string& path);

// "fifo", "directory", "character device", "block device", "socket", "symbolic link",
// "regular file" or "unknown file type": the kind of file an st_mode names.
const char* file_kind(unsigned mode);

// "16 MiB", "64 KiB", "100 bytes": a byte count for messages.
std::string byte_size(std::size_t bytes);

}  // namespace lvsctl
