#pragma once
// The daemon's pid file, held with an exclusive flock for the daemon's lifetime. A pid file left by
// a crashed (or killed, not yet reaped) daemon never blocks a restart: the lock dies with its
// holder, which is what decides "already running", not the file's existence.
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
  ~PidFile();  // removes the file and releases the lock

 private:
  PidFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace lvsctl::director
