#include "director/check_config_command.hpp"

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "director/config/json.hpp"
#include "director/config/load.hpp"
#include "director/config/summary.hpp"
#include "director/example_cluster.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {

int run_check_config(const std::string& file, bool json, bool example, std::FILE* out,
                     std::FILE* err) {
  config::ParsedConfig parsed;
  std::string shown = file;
  if (example) {
    conf::MemorySources none;  // the example has no includes
    shown = kExampleClusterFile;
    parsed = config::parse_config(example_cluster_config(), shown, none);
  } else {
    conf::SourceFiles files;
    auto text = files.read(file);
    if (!text) {
      fmt::print(err, "lvsctl: cannot read {}: {}\n", file, text.error().message);
      return 2;
    }
    parsed = config::parse_config(*text, file, files);
  }

  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : parsed.diags) (d.severity == conf::Severity::Error ? errors : warnings)++;
  for (const auto& line : conf::format_capped(parsed.diags)) fmt::print(err, "{}\n", line);
  if (errors != 0) {
    fmt::print(err, "{}: invalid: {} error{}, {} warning{}\n", shown, errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    return 1;
  }
  if (json) {
    fmt::print(out, "{}", config::to_json(parsed.config));
  } else {
    fmt::print(out, "{}: valid ({} warning{})\n{}", shown, warnings, warnings == 1 ? "" : "s",
               config::summarize(parsed.config));
  }
  return 0;
}

void add_check_config_command(CLI::App& director, int& exit_code) {
  struct Options {
    std::string file = "/etc/keepalived/keepalived.conf";
    bool json = false;
    bool example = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = director.add_subcommand(
      "check-config", "Check a keepalived.conf and summarise the cluster it describes");
  CLI::Option* file =
      cmd->add_option("-f,--file", opts->file, "keepalived.conf to check")->capture_default_str();
  cmd->add_flag("--json", opts->json, "print the normalised configuration as JSON");
  cmd->add_flag("--example", opts->example,
                "check the embedded example cluster (design.md) instead of a file")
      ->excludes(file);
  cmd->callback([opts, &exit_code] {
    exit_code = run_check_config(opts->file, opts->json, opts->example, stdout, stderr);
  });
}

}  // namespace lvsctl::director
