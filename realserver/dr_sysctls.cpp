#include "realserver/dr_sysctls.hpp"

namespace lvsctl::realserver {

const std::vector<SysctlSetting>& dr_sysctls() {
  static const std::vector<SysctlSetting> settings = {
      {"net.ipv4.conf.all.arp_ignore", "1"},
      {"net.ipv4.conf.all.arp_announce", "2"},
      {"net.ipv4.conf.lo.arp_ignore", "1"},
      {"net.ipv4.conf.lo.arp_announce", "2"},
  };
  return settings;
}

}  // namespace lvsctl::realserver
