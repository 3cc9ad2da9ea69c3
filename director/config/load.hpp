#pragma once
// keepalived.conf text -> typed, validated Config. The whole pipeline in one call:
// statements (shared/conf) -> build_config -> validate_config.
#include <string>
#include <string_view>

#include "director/config/model.hpp"
#include "shared/conf/diagnostic.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

struct ParsedConfig {
  Config config;
  conf::Diagnostics diags;  // errors and warnings, in the order found; each has file:line:col
};

// Pure: no I/O except through `reader` (for `include`). The config is usable only when
// conf::has_errors(diags) is false; with errors it holds whatever could be read.
ParsedConfig parse_config(std::string_view text, const std::string& file,
                          conf::SourceReader& reader);

// Reads `path` from disk (includes too) and parses it. An unreadable main file is reported
// as a diagnostic at `path`:0:0.
ParsedConfig load_config_file(const std::string& path);

}  // namespace lvsctl::director::config
