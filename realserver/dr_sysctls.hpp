#pragma once
// What LVS-DR/TUN needs from a real server's kernel: it must not answer ARP for the VIPs held on
// lo (arp_ignore=1: reply only for addresses on the receiving interface) and must not use them
// as the source of its own ARP requests (arp_announce=2). The kernel applies max(all, iface),
// so "all" is what matters; "lo" is set too, as every lvs-realsvr.sh does.
#include <string>
#include <vector>

namespace lvsctl::realserver {

struct SysctlSetting {
  std::string key;
  std::string value;
};

// In the order they are written: all before lo, arp_ignore before arp_announce.
const std::vector<SysctlSetting>& dr_sysctls();

}  // namespace lvsctl::realserver
