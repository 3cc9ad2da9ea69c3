#include "shared/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

#include <array>
#include <charconv>

namespace lvsctl {
namespace {

std::string& recorded_command_line() {
  static std::string line;
  return line;
}

// Shell-like quoting, for reading only: 'a b' and 'it'\''s'.
std::string quoted(std::string_view arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string_view::npos) {
    return std::string(arg);
  }
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

Result<int> parse_log_facility(std::string_view text) {
  static constexpr std::array<int, 8> kLocal = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                                                LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
  if (text == "daemon") return LOG_DAEMON;
  if (text == "user") return LOG_USER;
  std::string_view digits = text;
  if (digits.starts_with("local")) digits.remove_prefix(5);
  unsigned n = 0;
  const auto* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, n);
  if (digits.size() == 1 && ec == std::errc{} && ptr == end && n < kLocal.size()) {
    return kLocal[n];
  }
  return Error{"unknown log facility '" + std::string(text) +
               "' (expected 0-7 or local0-local7, daemon or user)"};
}

Status setup_logging(std::string_view level, std::string_view target, std::optional<int> facility) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    return Error{"unknown log level '" + std::string(level) +
                 "' (expected trace, debug, info, warn, error, critical or off)"};
  }
  std::shared_ptr<spdlog::logger> logger;
  if (target == "stderr") {
    logger = spdlog::stderr_color_mt("lvsctl");
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  } else if (target == "syslog") {
    logger = spdlog::syslog_logger_mt("lvsctl", "lvsctl", LOG_PID, facility.value_or(LOG_DAEMON));
    logger->set_pattern("%v");
  } else {
    return Error{"unknown log target '" + std::string(target) + "' (expected stderr or syslog)"};
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return {};
}

void record_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += quoted(argv[i]);
  }
  recorded_command_line() = std::move(line);
}

const std::string& command_line() { return recorded_command_line(); }

}  // namespace lvsctl
