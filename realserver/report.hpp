#pragma once
// Renders a StatusReport for people (text) and programs (JSON). Pure.
#include <string>

#include "realserver/status.hpp"

namespace lvsctl::realserver {

// Lines such as:
//   lvs-realsvr: running: 1 of 1 VIP on lo, ARP sysctls set
//     vip 203.0.113.10  present (lo:0)
//     net.ipv4.conf.all.arp_ignore = 1  ok (DR needs 1)
std::string render_text(const StatusReport& report);

// By JsonWriter: {"status": "running", "code": 0, "started": true, "summary": "...", "vips":
//  [{"address": ..., "family": "ipv4", "present": true, "label": "lo:0"}], "sysctls_needed": true,
//  "sysctls": [{"key": ..., "value": "1", "wanted": "1", "ok": true}]}
std::string render_json(const StatusReport& report);

}  // namespace lvsctl::realserver
