#include "director/config/load.hpp"

#include <fmt/format.h>

#include "director/config/build.hpp"
#include "director/config/validate.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {

ParsedConfig parse_config(std::string_view text, const std::string& file,
                          conf::SourceReader& reader, const conf::LanguageOptions& options) {
  ParsedConfig out;
  std::vector<conf::Statement> statements =
      conf::parse_statements(text, file, reader, out.diags, options);
  out.config = build_config(std::move(statements), out.diags);
  validate_config(out.config, out.diags);
  return out;
}

ParsedConfig load_config_file(const std::string& path, const conf::LanguageOptions& options) {
  conf::SourceFiles files;
  conf::RecordingReader reader(files);
  auto text = reader.read(path);
  ParsedConfig out;
  if (text) {
    out = parse_config(*text, path, reader, options);
  } else {
    out.diags.push_back({conf::Severity::Error,
                         {path, 0, 0},
                         fmt::format("cannot read the configuration: {}", text.error().message)});
  }
  out.sources = reader.take();
  return out;
}

bool config_files_changed(const conf::SourceManifest& sources) {
  conf::SourceFiles files;
  return sources.changed(files);
}

}  // namespace lvsctl::director::config
