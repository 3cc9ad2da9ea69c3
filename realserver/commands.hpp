#pragma once
// The `lvsctl realserver start|stop|status` actions: gather the VIPs, plan, apply, report. Each
// returns the process exit code and prints for the operator (stdout: results, stderr: errors;
// spdlog: one line per change made).
#include <filesystem>
#include <string>
#include <vector>

#include "shared/cli_error.hpp"

namespace lvsctl::realserver {

// Exit codes, LSB init-script compatible.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;         // bad VIP, VIP given twice, bad realserver.conf
inline constexpr int kExitNoPrivilege = cli::kExitNotPrivileged;  // 4: without root (EPERM/EACCES), every role
inline constexpr int kExitStatusUnknown = 4; // status could not be determined

// Where the VIPs come from. Empty strings mean "not given", so scripts and unit files may pass
// unset variables.
struct VipSources {
  std::vector<std::string> vips;   // each may hold several, split on commas and whitespace
  std::string file;                // realserver.conf
  std::string director_config;     // keepalived.conf: VIPs of its DR and TUN virtual servers
};

std::filesystem::path state_file_in(const std::filesystem::path& state_dir);

int run_start(const VipSources& sources, const std::filesystem::path& state_dir);
int run_stop(const std::filesystem::path& state_dir);
int run_status(const VipSources& sources, const std::filesystem::path& state_dir, bool json);

}  // namespace lvsctl::realserver
