#pragma once
// Writes a state dump (the USR1/USR2/RTMIN+2 files) without trusting the directory: /tmp is
// writable by everyone, so the file is opened with O_NOFOLLOW (a planted symlink fails),
// O_NONBLOCK (a planted FIFO cannot hold the daemon), and only a regular file of ours with one
// link is truncated and written, mode 0600.
#include <string>

#include "shared/result.hpp"

namespace lvsctl::director {

Status write_dump_file(const std::string& path, const std::string& content);

}  // namespace lvsctl::director
