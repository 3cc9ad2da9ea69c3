#include "shared/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

namespace lvsctl {

Status setup_logging(std::string_view level, std::string_view target) {
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
    logger = spdlog::syslog_logger_mt("lvsctl", "lvsctl", LOG_PID, LOG_DAEMON);
    logger->set_pattern("%v");
  } else {
    return Error{"unknown log target '" + std::string(target) + "' (expected stderr or syslog)"};
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace lvsctl
