#include "lab/observe.hpp"

#include <fmt/format.h>

#include <sstream>

#include "director/daemon/control_socket.hpp"
#include "director/daemon/daemon.hpp"
#include "lab/probe.hpp"

namespace lvsctl::lab {

Result<std::string> director_status_text(const StateDir& dir, const Director& d) {
  return director::query_control_socket(
      director::control_socket_path(dir.file(std::string(d.name))), "status text",
      std::chrono::milliseconds(2000));
}

std::string seed_instance_state(const std::string& status_text) {
  // "VRRP VIP_NSQ_100 VRID 100 on eth0: MASTER (priority 100, effective 100), master ..."
  std::istringstream lines(status_text);
  std::string line;
  const std::string head = "VRRP VIP_NSQ_100 ";
  while (std::getline(lines, line)) {
    if (line.rfind(head, 0) != 0) continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos) return "";
    const auto end = line.find(' ', colon + 2);
    return line.substr(colon + 2, end == std::string::npos ? std::string::npos : end - colon - 2);
  }
  return "";
}

bool reports_conflict(const std::string& status_text) {
  return status_text.find("CONFLICT: another master") != std::string::npos;
}

std::string vrrp_state(const StateDir& dir, const Director& d) {
  auto text = director_status_text(dir, d);
  if (!text) return "down";
  const std::string state = seed_instance_state(*text);
  return state.empty() ? "unknown" : state;
}

Result<std::string> ask_vip(unsigned short port, std::chrono::milliseconds timeout) {
  return http_get_name(ns_name(kClient), std::string(kVip), port, timeout);
}

std::string Sample::text() const {
  std::string out;
  for (const auto& [name, count] : by_server) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, count);
  }
  if (failed > 0) out += fmt::format("{}failed {}", out.empty() ? "" : ", ", failed);
  return out;
}

Sample sample_vip(unsigned short port, unsigned requests, std::chrono::milliseconds timeout) {
  Sample s;
  for (unsigned i = 0; i < requests; ++i) {
    auto name = ask_vip(port, timeout);
    if (name) {
      ++s.by_server[*name];
    } else {
      ++s.failed;
      s.last_error = name.error().message;
    }
  }
  return s;
}

}  // namespace lvsctl::lab
