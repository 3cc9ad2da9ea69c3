#pragma once
// The diagnostics of a configuration load, logged as check-config prints them.
#include "director/config/load.hpp"
#include "director/config/warning_history.hpp"

namespace lvsctl::director {

// Logs the errors and the warnings `history` has not seen at the last load (the others as one
// count, so a reload does not repeat every deprecation), the first 100 lines and then a count;
// true when the config may be used.
bool log_config_diagnostics(const config::ParsedConfig& parsed, config::WarningHistory& history);

}  // namespace lvsctl::director
