#pragma once
// What a lab leaves in the system, found without the state dir (after a crash of `up`, or a
// state dir removed by hand): namespaces named lvslab-* under /run/netns and the processes
// inside them (matched by the inode of /proc/PID/ns/net, as `ip netns pids` does).
#include <string>
#include <vector>

#include "lab/launch.hpp"

namespace lvsctl::lab {

std::vector<std::string> lab_namespaces();
// The processes whose network namespace is /run/netns/`ns`.
std::vector<ProcessId> processes_in(const std::string& ns);

}  // namespace lvsctl::lab
