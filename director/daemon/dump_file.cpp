#include "director/daemon/dump_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "shared/fd.hpp"

namespace lvsctl::director {

Status write_dump_file(const std::string& path, const std::string& content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (!fd) return Error::from_errno("cannot open dump file " + path + " (symlinks not followed)");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      st.st_nlink != 1) {
    return Error{"dump file " + path + " is not a regular file of ours with one link; not written",
                 EPERM};
  }
  if (::fchmod(fd.get(), 0600) != 0 || ::ftruncate(fd.get(), 0) != 0) {
    return Error::from_errno("cannot truncate dump file " + path);
  }
  size_t off = 0;
  while (off < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("cannot write dump file " + path);
    off += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace lvsctl::director
