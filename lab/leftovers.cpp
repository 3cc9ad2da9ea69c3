#include "lab/leftovers.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "lab/topology.hpp"

namespace lvsctl::lab {

namespace fs = std::filesystem;

std::vector<std::string> lab_namespaces() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec)) {
    const std::string name = entry.path().filename().string();
    if (is_lab_namespace(name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ProcessId> processes_in(const std::string& ns) {
  std::vector<ProcessId> out;
  struct stat target {};
  if (::stat(("/run/netns/" + ns).c_str(), &target) != 0) return out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(),
                                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      continue;
    }
    struct stat st {};
    if (::stat(("/proc/" + name + "/ns/net").c_str(), &st) != 0) continue;
    if (st.st_ino != target.st_ino || st.st_dev != target.st_dev) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (auto start = start_time_of(pid)) out.push_back({pid, *start});
  }
  return out;
}

}  // namespace lvsctl::lab
