#pragma once
// SourceManifest: every answer a parse got from its SourceReader — each file read (size and a
// hash of its bytes) and each include pattern with the paths it matched. Parsing is a pure
// function of those answers, so when the reader gives the same answers again a new parse would
// give the same result: the daemon's reload skips it (configuration unchanged).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/conf/statement.hpp"

namespace lvsctl::conf {

struct SourceManifest {
  struct File {
    std::string path;
    bool readable = false;  // a failed read is never taken as unchanged
    std::size_t size = 0;
    std::uint64_t hash = 0;  // std::hash of the bytes: this process only, never stored
  };
  struct Pattern {
    std::string pattern;  // as given to SourceReader::glob (relative ones already resolved)
    std::vector<std::string> matches;
    bool refused = false;  // the reader refused it: never taken as unchanged
  };
  std::vector<File> files;  // in the order read
  std::vector<Pattern> patterns;

  // True when nothing was recorded, or a read had failed, or `reader` now answers any glob or
  // read differently (content compared by size and hash). Reads every file again; no lexing.
  bool changed(SourceReader& reader) const;
};

// A SourceReader that passes every call on to `inner` and records it.
class RecordingReader final : public SourceReader {
 public:
  explicit RecordingReader(SourceReader& inner) : inner_(inner) {}

  Result<std::string> read(const std::string& path) override;
  std::vector<std::string> glob(const std::string& pattern) override;
  GlobOutcome expand(const std::string& pattern) override;

  SourceManifest take() { return std::move(manifest_); }

 private:
  SourceReader& inner_;
  SourceManifest manifest_;
};

}  // namespace lvsctl::conf
