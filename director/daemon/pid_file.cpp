#include "director/daemon/pid_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

namespace lvsctl::director {

Result<PidFile> PidFile::acquire(const std::string& path) {
  // O_NOFOLLOW: a symlink at path fails (ELOOP) instead of opening its target; O_NONBLOCK: a
  // FIFO there cannot hold the open.
  const int fd =
      ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == ELOOP) {
      return Error{"cannot open pid file " + path + ": it is a symbolic link (not followed)", ELOOP};
    }
    return Error::from_errno("cannot open pid file " + path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      st.st_nlink != 1) {
    ::close(fd);
    return Error{"cannot use pid file " + path +
                     ": not a regular file of ours with a single link; refusing it",
                 EPERM};
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      return Error{"another lvsctl director is already running (pid " + pid + ", pid file " +
                   path + ")", EEXIST};
    }
    return Error::from_errno("cannot lock pid file " + path, err);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::fchmod(fd, 0644) != 0 || ::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return Error::from_errno("cannot write pid file " + path, err);
  }
  return PidFile(fd, path, st.st_dev, st.st_ino);
}

PidFile::PidFile(PidFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      dev_(other.dev_),
      ino_(other.ino_) {}

PidFile& PidFile::operator=(PidFile&& other) noexcept {
  if (this != &other) {
    this->~PidFile();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    dev_ = other.dev_;
    ino_ = other.ino_;
  }
  return *this;
}

bool PidFile::still_ours() const {
  struct stat st {};
  return fd_ >= 0 && ::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

PidFile::~PidFile() {
  if (fd_ < 0) return;
  if (still_ours()) ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace lvsctl::director
