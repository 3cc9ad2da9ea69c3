#pragma once
// ServiceNotify: tells the service manager (systemd, Type=notify) where the daemon is, through
// sd_notify(3): READY=1 once the first configuration is applied, RELOADING=1 / READY=1 around a
// reload, STOPPING=1 on the way out, STATUS= a one-line summary (VRRP states, live real servers).
// Without NOTIFY_SOCKET in the environment (not started by systemd) every call does nothing.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lvsctl::director {

// "VI_1 MASTER, VI_2 BACKUP; 4/4 real servers up" (instances in config order; "no VRRP instance"
// when there is none). Pure: the daemon gathers the states and counts.
std::string service_status_line(const std::vector<std::pair<std::string, std::string_view>>& instances,
                                std::size_t real_servers_up, std::size_t real_servers);

class ServiceNotify {
 public:
  // True when a service manager listens (NOTIFY_SOCKET is set): the daemon computes the status
  // line only then.
  static bool wanted();

  void ready();
  void reloading();
  void stopping();
  // Sends STATUS= when `line` differs from the last one sent.
  void status(const std::string& line);

 private:
  std::string last_status_;
};

}  // namespace lvsctl::director
