#include "shared/conf/source_manifest.hpp"

#include <functional>
#include <string_view>

namespace lvsctl::conf {
namespace {

SourceManifest::File record(const std::string& path, const Result<std::string>& text) {
  SourceManifest::File file{path};
  if (!text) return file;
  file.readable = true;
  file.size = text->size();
  file.hash = std::hash<std::string_view>{}(*text);
  return file;
}

}  // namespace

bool SourceManifest::changed(SourceReader& reader) const {
  if (files.empty()) return true;
  for (const auto& p : patterns) {
    if (p.refused) return true;
    const GlobOutcome now = reader.expand(p.pattern);
    if (!now.refused.empty() || now.paths != p.matches) return true;
  }
  for (const auto& f : files) {
    if (!f.readable) return true;
    const File now = record(f.path, reader.read(f.path));
    if (!now.readable || now.size != f.size || now.hash != f.hash) return true;
  }
  return false;
}

Result<std::string> RecordingReader::read(const std::string& path) {
  Result<std::string> text = inner_.read(path);
  manifest_.files.push_back(record(path, text));
  return text;
}

std::vector<std::string> RecordingReader::glob(const std::string& pattern) {
  std::vector<std::string> matches = inner_.glob(pattern);
  manifest_.patterns.push_back(SourceManifest::Pattern{pattern, matches});
  return matches;
}

GlobOutcome RecordingReader::expand(const std::string& pattern) {
  GlobOutcome outcome = inner_.expand(pattern);
  manifest_.patterns.push_back(
      SourceManifest::Pattern{pattern, outcome.paths, !outcome.refused.empty()});
  return outcome;
}

}  // namespace lvsctl::conf
