#include "shared/conf/source_files.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "shared/fd.hpp"

namespace lvsctl::conf {

Result<std::string> SourceFiles::read(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(fmt::format("open {}", path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(fmt::format("stat {}", path));
  if (S_ISDIR(st.st_mode)) return Error::from_errno(fmt::format("read {}", path), EISDIR);

  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(fmt::format("read {}", path));
    }
    if (got == 0) break;
    text.append(buf, static_cast<std::size_t>(got));
  }
  return text;
}

std::vector<std::string> SourceFiles::glob(const std::string& pattern) {
  glob_t found{};
  std::vector<std::string> paths;
  if (::glob(pattern.c_str(), GLOB_BRACE, nullptr, &found) == 0) {
    paths.reserve(found.gl_pathc);
    for (std::size_t i = 0; i < found.gl_pathc; ++i) paths.emplace_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  return paths;
}

Result<std::string> MemorySources::read(const std::string& path) {
  const auto it = files_.find(path);
  if (it == files_.end()) return Error{fmt::format("open {}: {}", path, std::strerror(ENOENT)), ENOENT};
  return it->second;
}

std::vector<std::string> MemorySources::glob(const std::string& pattern) {
  const std::string normal = std::filesystem::path(pattern).lexically_normal().string();
  std::vector<std::string> paths;
  for (const auto& [path, text] : files_) {
    if (::fnmatch(normal.c_str(), path.c_str(), FNM_PATHNAME) == 0) paths.push_back(path);
  }
  return paths;
}

}  // namespace lvsctl::conf
