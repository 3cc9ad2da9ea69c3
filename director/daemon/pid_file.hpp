#pragma once
// The daemon's pid file, held with an exclusive flock for the daemon's lifetime. A pid file left by
// a crashed (or killed, not yet reaped) daemon never blocks a restart: the lock dies with its
// holder, which is what decides "already running", not the file's existence.
// Opened without following a symlink (O_NOFOLLOW) and only as a regular file of ours with one
// link, so a planted symlink or hard link never gets another file overwritten. On exit the file
// is removed only while the path still names our file (another daemon may own it by then).
#include <sys/types.h>

#include <string>

#include "shared/result.hpp"

namespace lvsctl::director {

class PidFile {
 public:
  // Creates `path` (and nothing else), locks it and writes our pid. Fails with "already running
  // (pid N)" when another live process holds the lock.
  static Result<PidFile> acquire(const std::string& path);

  PidFile(PidFile&& other) noexcept;
  PidFile& operator=(PidFile&& other) noexcept;
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;
  ~PidFile();  // removes the file (when still ours) and releases the lock

  // The path still names the file we locked (not removed, not replaced).
  bool still_ours() const;
  const std::string& path() const { return path_; }

 private:
  PidFile(int fd, std::string path, dev_t dev, ino_t ino)
      : fd_(fd), path_(std::move(path)), dev_(dev), ino_(ino) {}
  int fd_ = -1;
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace lvsctl::director
