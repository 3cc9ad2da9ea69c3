#include "realserver/status.hpp"

#include "realserver/dr_sysctls.hpp"
#include "realserver/vip_list.hpp"

namespace lvsctl::realserver {

StatusReport evaluate_status(const std::vector<IpAddress>& vips, bool started,
                             const Observation& now) {
  StatusReport r;
  r.started = started;
  r.sysctls_needed = has_ipv4(vips);
  std::size_t present = 0;
  for (const auto& vip : vips) {
    VipReport v{vip, false, {}};
    if (const auto* entry = now.on_lo(vip)) {
      v.present = true;
      v.label = entry->label;
      ++present;
    }
    r.vips.push_back(std::move(v));
  }
  std::size_t sysctls_wrong = 0;
  for (const auto& setting : dr_sysctls()) {
    const std::string value = now.sysctl(setting.key);
    const bool ok = value == setting.value;
    if (!ok) ++sysctls_wrong;
    r.sysctls.push_back({setting.key, value, setting.value, ok});
  }
  const bool sysctls_fine = !r.sysctls_needed || sysctls_wrong == 0;
  const std::string counts = std::to_string(present) + " of " + std::to_string(vips.size()) +
                             " VIP" + (vips.size() == 1 ? "" : "s") + " on lo";
  const std::string arp = !r.sysctls_needed ? "ARP sysctls not needed (IPv6 only)"
                          : sysctls_wrong == 0
                              ? "ARP sysctls set"
                              : std::to_string(sysctls_wrong) + " ARP sysctl" +
                                    (sysctls_wrong == 1 ? "" : "s") + " not as DR needs";
  if (vips.empty()) {
    r.code = started ? LsbStatus::Partial : LsbStatus::Stopped;
    r.summary = started ? "started, but no VIP is known" : "stopped: no VIPs configured or saved";
  } else if (present == vips.size() && sysctls_fine) {
    r.code = LsbStatus::Running;
    r.summary = "running: " + counts + ", " + arp;
  } else if (present == 0 && !started) {
    r.code = LsbStatus::Stopped;
    r.summary = "stopped: " + counts;
  } else {
    r.code = LsbStatus::Partial;
    r.summary = std::string(started ? "started but drifted: " : "partly in place: ") + counts +
                ", " + arp;
  }
  return r;
}

}  // namespace lvsctl::realserver
