#include "director/daemon/start_banner.hpp"

#include <spdlog/spdlog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shared/logging.hpp"

namespace lvsctl::director {

void log_start_banner() {
  spdlog::info("Starting lvsctl director v{} (pid {})", LVSCTL_VERSION, ::getpid());
  if (!command_line().empty()) spdlog::info("Command line: {}", command_line());
  utsname host{};
  if (::uname(&host) == 0) {
    spdlog::info("Running on {} {} {}", host.sysname, host.release, host.version);
  }
}

}  // namespace lvsctl::director
