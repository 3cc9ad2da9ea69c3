#include "director/check_config_command.hpp"

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "director/config/json.hpp"
#include "shared/cli_error.hpp"
#include "director/config/load.hpp"
#include "director/config/summary.hpp"
#include "director/datapath/nft_support.hpp"
#include "director/example_cluster.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {

int run_check_config(const std::string& file, bool json, bool example, std::FILE* out,
                     std::FILE* err, const std::string& config_id, const HostFacts* host) {
  config::ParsedConfig parsed;
  conf::LanguageOptions language;
  language.config_id = config_id;
  std::string shown = file;
  if (example) {
    conf::MemorySources none;  // the example has no includes
    shown = kExampleClusterFile;
    parsed = config::parse_config(example_cluster_config(), shown, none, language);
  } else {
    conf::SourceFiles files;
    auto text = files.read(file);
    if (!text) {
      const std::string message = fmt::format("cannot read {}: {}", file, text.error().message);
      if (json) {
        fmt::print(out, "{}", cli::error_json("director check-config", message, cli::kExitUsage));
      } else {
        fmt::print(err, "lvsctl director check-config: {}\n", message);
      }
      return cli::kExitUsage;
    }
    parsed = config::parse_config(*text, file, files, language);
  }
  if (parsed.config.global.lb_backend == config::LbBackend::Nftables) {
    for (auto& d : datapath::nftables_diagnostics(parsed.config)) parsed.diags.push_back(d);
  }
  if (host && !conf::has_errors(parsed.diags)) {
    for (auto& d : host_diagnostics(parsed.config, *host)) parsed.diags.push_back(std::move(d));
  }

  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : parsed.diags) (d.severity == conf::Severity::Error ? errors : warnings)++;
  // With --json an invalid file's diagnostics go to stdout as JSON (the summary line stays);
  // otherwise to stderr, the first 100 and then a count.
  const bool json_diagnostics = json && errors != 0;
  if (json_diagnostics) {
    fmt::print(out, "{}", config::diagnostics_json(shown, parsed.diags));
  } else {
    for (const auto& line : conf::format_capped(parsed.diags)) fmt::print(err, "{}\n", line);
  }
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
    bool host = false;
    std::string config_id;
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
  cmd->add_flag("--host", opts->host,
                "also check this machine: every interface the file names exists (a warning with "
                "dynamic_interfaces) and every script can run");
  cmd->add_option("-i,--config-id", opts->config_id,
                  "config id compared with '@ID' lines (default: the host name up to its first "
                  "'.', as keepalived)");
  cmd->callback([opts, &exit_code] {
    const HostFacts host = this_host();
    exit_code = run_check_config(opts->file, opts->json, opts->example, stdout, stderr,
                                 opts->config_id, opts->host ? &host : nullptr);
  });
}

}  // namespace lvsctl::director
