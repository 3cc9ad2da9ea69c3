#pragma once
// `lvsctl realserver status`: which VIPs are on lo, whether the ARP sysctls are what DR needs,
// and the LSB status code that sums it up. Pure.
#include <string>
#include <vector>

#include "realserver/observation.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::realserver {

// LSB status codes (init-functions "status" action).
enum class LsbStatus : int {
  Running = 0,      // every VIP on lo and, with IPv4 VIPs, every ARP sysctl as DR needs
  Partial = 1,      // started (state saved) or partly in place, but something is missing/drifted
  Stopped = 3,      // not started and no VIP in place
  Unknown = 4,      // the status could not be determined (reported by the caller)
};

struct VipReport {
  IpAddress address;
  bool present = false;
  std::string label;  // label on lo when present (IPv4)
};

struct SysctlReport {
  std::string key;
  std::string value;   // current value
  std::string wanted;  // what DR needs
  bool ok = false;
};

struct StatusReport {
  bool started = false;         // a state file exists (start ran, stop did not)
  std::vector<VipReport> vips;
  bool sysctls_needed = false;  // at least one IPv4 VIP
  std::vector<SysctlReport> sysctls;
  LsbStatus code = LsbStatus::Stopped;
  std::string summary;          // one line: "running: 2 VIPs on lo, ARP sysctls set"
};

// `vips`: the VIPs to check (given on the command line, else those in the state file).
StatusReport evaluate_status(const std::vector<IpAddress>& vips, bool started,
                             const Observation& now);

}  // namespace lvsctl::realserver
