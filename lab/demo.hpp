#pragma once
// `lvsctl lab demo`: up, then each step with its outcome as it happens (who is MASTER; the
// client's requests spread over both real servers; split brain from the backup's firewall,
// flagged by `director watch` and healed by `firewall allow-vrrp`; kill -9 of the MASTER; a
// real server's service stopped and restarted), then down. Returns 0 when every step passed,
// 1 naming the step that failed.
#include <string>

namespace lvsctl::lab {

int run_demo(const std::string& state_dir);

}  // namespace lvsctl::lab
