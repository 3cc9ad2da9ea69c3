#pragma once
// Who may read status through the control socket: root, and the members of one group.
// `--control-group` wins over global_defs `control_socket_group`; "none" (either) keeps the socket
// root-only (0600); unset, the group `lvsctl` is used when it exists, else root only. A group
// named explicitly must exist; a number is taken as a gid. Pure, given the group lookup.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "shared/result.hpp"

namespace lvsctl::director {

inline constexpr const char* kDefaultControlGroup = "lvsctl";

using GroupLookup = std::function<std::optional<gid_t>(const std::string& name)>;

// nullopt: root only.
Result<std::optional<gid_t>> choose_control_group(const std::optional<std::string>& option,
                                                  const std::optional<std::string>& keyword,
                                                  const GroupLookup& lookup);

// getgrnam_r (start-up only: NSS may be slow).
std::optional<gid_t> lookup_group(const std::string& name);

// The run directory's mode when a group may reach the socket: group search (x) added, never
// group/other write.
mode_t run_dir_mode_for_group(mode_t mode);

}  // namespace lvsctl::director
