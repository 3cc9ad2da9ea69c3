#pragma once
// Process-wide logging set-up. Adapters and the daemons log through spdlog's default logger;
// the pure core never logs (it returns values).
#include <optional>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace lvsctl {

enum class LogTarget { Stderr, Syslog };

// A syslog facility as keepalived's -S/--log-facility takes it: "0".."7" or "local0".."local7"
// (LOG_LOCAL0..7), "daemon" or "user". An unknown value is an error that names it.
Result<int> parse_log_facility(std::string_view text);

// Parses "trace|debug|info|warn|error|critical|off" and "stderr|syslog"; an unknown value is an
// error that names it. Syslog uses ident "lvsctl" and `facility` (a parse_log_facility() value;
// LOG_DAEMON by default).
Status setup_logging(std::string_view level, std::string_view target,
                     std::optional<int> facility = std::nullopt);

// The process's command line, as started (arguments quoted where they hold spaces or quotes),
// recorded by main() for the daemon's first log line.
void record_command_line(int argc, const char* const* argv);
const std::string& command_line();

}  // namespace lvsctl
