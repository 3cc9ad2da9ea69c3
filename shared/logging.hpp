#pragma once
// Process-wide logging set-up. Adapters and the daemons log through spdlog's default logger;
// the pure core never logs (it returns values).
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace lvsctl {

enum class LogTarget { Stderr, Syslog };

// Parses "trace|debug|info|warn|error|critical|off" and "stderr|syslog"; an unknown value is an
// error that names it. Syslog uses facility daemon and ident "lvsctl".
Status setup_logging(std::string_view level, std::string_view target);

}  // namespace lvsctl
