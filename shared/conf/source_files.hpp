#pragma once
// SourceReader implementations: SourceFiles reads the disk (the only I/O of shared/conf);
// MemorySources serves a map of path -> text, for tests, fuzzing and embedded configs.
#include <map>
#include <string>
#include <vector>

#include "shared/conf/statement.hpp"

namespace lvsctl::conf {

// The real file system. read() is read_regular_file() (shared/regular_file.hpp): only regular
// files outside /proc, /sys and /dev, at most 16 MiB each, never blocking on a FIFO; it fails with
// the reason (errno in Error::code). glob() is glob(3) with csh-style braces
// (`conf.d/{a,b}.conf`), results sorted as glob(3) sorts them; a pattern without wildcards
// "matches" only an existing path. expand() never searches /proc, /sys or /dev (a pattern that
// starts there is refused; a wildcard that would descend into them skips them, with a warning)
// and gives up a search that reads more than kMaxGlobWork directory entries and file checks.
class SourceFiles final : public SourceReader {
 public:
  static constexpr std::size_t kMaxGlobWork = 20000;

  Result<std::string> read(const std::string& path) override;
  std::vector<std::string> glob(const std::string& pattern) override;
  GlobOutcome expand(const std::string& pattern) override;
};

// Files held in memory. glob() makes the pattern lexically normal ("a/./b/../c" -> "a/c"), matches
// the stored paths with fnmatch(3) (FNM_PATHNAME: '*' does not cross '/'; no brace expansion) and
// returns them in byte order.
class MemorySources final : public SourceReader {
 public:
  MemorySources() = default;
  explicit MemorySources(std::map<std::string, std::string> files) : files_(std::move(files)) {}

  void add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }

  Result<std::string> read(const std::string& path) override;
  std::vector<std::string> glob(const std::string& pattern) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace lvsctl::conf
