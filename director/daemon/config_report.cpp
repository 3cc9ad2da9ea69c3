#include "director/daemon/config_report.hpp"

#include <spdlog/spdlog.h>

#include "shared/conf/diagnostic.hpp"

namespace lvsctl::director {

bool log_config_diagnostics(const config::ParsedConfig& parsed, config::WarningHistory& history) {
  std::size_t shown = 0;
  std::size_t hidden = 0;
  const auto log = [&](spdlog::level::level_enum level, const conf::Diagnostic& d) {
    if (shown++ < conf::kMaxDiagnosticsShown) {
      spdlog::log(level, "{}", conf::format(d));
    } else {
      ++hidden;
    }
  };
  for (const auto& d : parsed.diags) {
    if (d.severity == conf::Severity::Error) log(spdlog::level::err, d);
  }
  const auto warnings = history.update(parsed.diags);
  for (const auto* d : warnings.fresh) log(spdlog::level::warn, *d);
  if (hidden > 0) spdlog::warn("... and {} more diagnostics not logged", hidden);
  if (warnings.repeated > 0) {
    spdlog::info("{} warning{} (unchanged since the last load, not repeated)", warnings.repeated,
                 warnings.repeated == 1 ? "" : "s");
  }
  return !conf::has_errors(parsed.diags);
}

}  // namespace lvsctl::director
