#include "shared/conf/source_files.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "shared/regular_file.hpp"

namespace lvsctl::conf {

Result<std::string> SourceFiles::read(const std::string& path) {
  return read_regular_file(path, kMaxConfigFileBytes);
}

namespace {

// One glob(3) run's bookkeeping, reached from the GLOB_ALTDIRFUNC callbacks (plain function
// pointers, hence the thread_local).
struct GlobWalk {
  std::size_t work = 0;  // directory entries read + stat calls
  bool over_budget = false;
  std::vector<std::string> skipped;  // pseudo file system directories not searched
};
thread_local GlobWalk* walk = nullptr;

bool spend() {
  if (++walk->work > SourceFiles::kMaxGlobWork) walk->over_budget = true;
  return !walk->over_budget;
}

void* walk_opendir(const char* path) {
  if (!spend()) {
    errno = E2BIG;
    return nullptr;
  }
  if (pseudo_file_system(*path ? path : ".") != nullptr) {
    if (walk->skipped.size() < 3) walk->skipped.emplace_back(path);
    errno = EACCES;
    return nullptr;
  }
  return ::opendir(path);
}

struct dirent* walk_readdir(void* dir) {
  if (!spend()) return nullptr;  // ends this directory; the next opendir aborts the glob
  return ::readdir(static_cast<DIR*>(dir));
}

void walk_closedir(void* dir) { ::closedir(static_cast<DIR*>(dir)); }

int walk_stat(const char* path, struct stat* st) {
  if (!spend()) {
    errno = E2BIG;
    return -1;
  }
  return ::stat(path, st);
}

int walk_lstat(const char* path, struct stat* st) {
  if (!spend()) {
    errno = E2BIG;
    return -1;
  }
  return ::lstat(path, st);
}

int walk_error(const char* /*path*/, int /*err*/) { return walk->over_budget ? 1 : 0; }

// The directory part of `pattern` before its first wildcard ("/etc/k/*.conf" -> "/etc/k/").
std::string fixed_prefix(const std::string& pattern) {
  const std::size_t wild = pattern.find_first_of("*?[{");
  if (wild == std::string::npos) return pattern;
  const std::size_t slash = pattern.rfind('/', wild);
  return slash == std::string::npos ? std::string(".") : pattern.substr(0, slash + 1);
}

}  // namespace

GlobOutcome SourceFiles::expand(const std::string& pattern) {
  GlobOutcome out;
  const std::string fixed = fixed_prefix(pattern);
  if (const char* fs = pseudo_file_system(fixed)) {
    const std::string_view root(fs);
    const bool inside = fixed.starts_with(root) &&
                        (fixed.size() == root.size() || fixed[root.size()] == '/');
    out.refused = fmt::format("it {} {}: configuration is never read from /proc, /sys or /dev",
                              inside ? "is in" : "leads (by a symbolic link) into", fs);
    return out;
  }
  GlobWalk state;
  walk = &state;
  glob_t found{};
  found.gl_closedir = walk_closedir;
  found.gl_readdir = walk_readdir;
  found.gl_opendir = walk_opendir;
  found.gl_lstat = walk_lstat;
  found.gl_stat = walk_stat;
  const int rc = ::glob(pattern.c_str(), GLOB_BRACE | GLOB_ALTDIRFUNC, walk_error, &found);
  walk = nullptr;
  if (state.over_budget) {
    out.refused = fmt::format("searching for its matches took more than {} directory entries "
                              "and file checks; narrow the pattern",
                              kMaxGlobWork);
  } else if (rc == GLOB_NOSPACE) {
    out.refused = "out of memory while searching for its matches";
  } else if (rc == 0) {
    out.paths.reserve(found.gl_pathc);
    for (std::size_t i = 0; i < found.gl_pathc; ++i) out.paths.emplace_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  if (!state.skipped.empty()) {
    std::string dirs;
    for (const auto& d : state.skipped) dirs += (dirs.empty() ? "" : ", ") + d;
    out.skipped = fmt::format("{}{} not searched: configuration is never read from /proc, /sys "
                              "or /dev",
                              dirs, state.skipped.size() >= 3 ? " (and maybe more)" : "");
  }
  return out;
}

std::vector<std::string> SourceFiles::glob(const std::string& pattern) {
  return expand(pattern).paths;
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
