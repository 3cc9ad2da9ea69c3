#include "shared/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "shared/fd.hpp"

namespace lvsctl {

const char* file_kind(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFDIR: return "directory";
    case S_IFIFO: return "fifo";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFSOCK: return "socket";
    case S_IFLNK: return "symbolic link";
    default: return "unknown file type";
  }
}

std::string byte_size(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) {
    return fmt::format("{} MiB", bytes >> 20);
  }
  if (bytes >= (std::size_t{1} << 10) && bytes % (std::size_t{1} << 10) == 0) {
    return fmt::format("{} KiB", bytes >> 10);
  }
  return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
}

const char* pseudo_file_system(const std::string& path) {
  std::error_code ec;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) resolved = std::filesystem::absolute(path, ec).lexically_normal();
  const std::string text = resolved.string();
  for (const char* root : {"/proc", "/sys", "/dev"}) {
    const std::string_view r(root);
    if (text.starts_with(r) && (text.size() == r.size() || text[r.size()] == '/')) return root;
  }
  return nullptr;
}

namespace {

Error not_regular(const std::string& path, unsigned mode) {
  return Error{fmt::format("{}: not a regular file ({})", path, file_kind(mode)),
               S_ISDIR(mode) ? EISDIR : EINVAL};
}

Error too_big(const std::string& path, std::size_t max_bytes, std::size_t size, bool at_least) {
  return Error{fmt::format("{}: larger than the {} a configuration file may hold ({}{} bytes)",
                           path, byte_size(max_bytes), at_least ? "at least " : "", size),
               EFBIG};
}

}  // namespace

Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes) {
  // stat() first: a device or FIFO is refused without being opened at all (opening some devices
  // has effects). The fstat() after open() settles a race with a rename.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::from_errno(fmt::format("open {}", path));
  if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
  if (const char* fs = pseudo_file_system(path)) {
    return Error{fmt::format("{}: in {}: configuration is never read from /proc, /sys or /dev",
                             path, fs),
                 EACCES};
  }

  // O_NONBLOCK: should a FIFO be swapped in after the stat(), open() still does not wait.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!fd) return Error::from_errno(fmt::format("open {}", path));
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(fmt::format("stat {}", path));
  if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) return too_big(path, max_bytes, size, false);

  // The size may change while reading (or be 0 for a pseudo file): read at most max_bytes + 1.
  std::string text;
  text.reserve(size);
  char buf[65536];
  for (;;) {
    const std::size_t room = max_bytes + 1 - text.size();
    const ssize_t got = ::read(fd.get(), buf, room < sizeof buf ? room : sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(fmt::format("read {}", path));
    }
    if (got == 0) break;
    text.append(buf, static_cast<std::size_t>(got));
    if (text.size() > max_bytes) return too_big(path, max_bytes, text.size(), true);
  }
  return text;
}

}  // namespace lvsctl
