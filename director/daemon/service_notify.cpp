#include "director/daemon/service_notify.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace lvsctl::director {
namespace {

void send(const std::string& message) {
  // 0: NOTIFY_SOCKET unset; > 0: sent. A failure is only logged: the service manager times a
  // start or reload out on its own.
  if (const int rc = ::sd_notify(0, message.c_str()); rc < 0) {
    spdlog::warn("sd_notify({}): {}", message.substr(0, message.find('\n')), std::strerror(-rc));
  }
}

}  // namespace

std::string service_status_line(const std::vector<std::pair<std::string, std::string_view>>& instances,
                                std::size_t real_servers_up, std::size_t real_servers) {
  std::string line;
  for (const auto& [name, state] : instances) {
    if (!line.empty()) line += ", ";
    line += fmt::format("{} {}", name, state);
  }
  if (line.empty()) line = "no VRRP instance";
  line += fmt::format("; {}/{} real servers up", real_servers_up, real_servers);
  return line;
}

bool ServiceNotify::wanted() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

void ServiceNotify::ready() { send("READY=1"); }
void ServiceNotify::reloading() { send("RELOADING=1"); }
void ServiceNotify::stopping() { send("STOPPING=1"); }

void ServiceNotify::status(const std::string& line) {
  if (line == last_status_) return;
  last_status_ = line;
  send("STATUS=" + line);
}

}  // namespace lvsctl::director
