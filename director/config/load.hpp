#pragma once
// keepalived.conf text -> typed, validated Config. The whole pipeline in one call:
// statements (shared/conf) -> build_config -> validate_config.
#include <string>
#include <string_view>

#include "director/config/model.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/conf/source_manifest.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

struct ParsedConfig {
  Config config;
  conf::Diagnostics diags;  // errors and warnings, in the order found; each has file:line:col
  conf::SourceManifest sources;  // what load_config_file read (empty from parse_config)
};

// Pure: no I/O except through `reader` (for `include`). The config is usable only when
// conf::has_errors(diags) is false; with errors it holds whatever could be read.
ParsedConfig parse_config(std::string_view text, const std::string& file,
                          conf::SourceReader& reader, const conf::LanguageOptions& options = {});

// Reads `path` from disk (includes too) and parses it. An unreadable main file is reported
// as a diagnostic at `path`:0:0. Records every file read and include pattern in `sources`.
ParsedConfig load_config_file(const std::string& path, const conf::LanguageOptions& options = {});

// True unless the files on disk are those `sources` recorded, byte for byte, and every include
// pattern matches the same files (then loading again would give the same result).
bool config_files_changed(const conf::SourceManifest& sources);

}  // namespace lvsctl::director::config
