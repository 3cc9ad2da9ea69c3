#include "director/daemon/control_access.hpp"

#include <grp.h>
#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include <fmt/format.h>

namespace lvsctl::director {

Result<std::optional<gid_t>> choose_control_group(const std::optional<std::string>& option,
                                                  const std::optional<std::string>& keyword,
                                                  const GroupLookup& lookup) {
  const auto& chosen = option ? option : keyword;
  if (!chosen) {
    return lookup(kDefaultControlGroup);  // absent: root only
  }
  if (*chosen == "none") return std::optional<gid_t>{};
  if (chosen->empty()) return Error{"an empty control socket group; say 'none' for root only", EINVAL};
  // A number is a gid, as chown takes it (a group without a name in /etc/group).
  if (chosen->find_first_not_of("0123456789") == std::string::npos && chosen->size() <= 9) {
    return std::optional<gid_t>{static_cast<gid_t>(std::stoul(*chosen))};
  }
  if (auto gid = lookup(*chosen)) return std::optional<gid_t>{*gid};
  return Error{fmt::format("control socket group '{}' does not exist ({}); create it or say "
                           "'none' for root only",
                           *chosen, option ? "--control-group" : "control_socket_group"),
               ENOENT};
}

std::optional<gid_t> lookup_group(const std::string& name) {
  group entry{};
  group* found = nullptr;
  std::vector<char> buffer(16384);
  for (;;) {
    const int rc = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc != 0 || found == nullptr) return std::nullopt;
    return found->gr_gid;
  }
}

mode_t run_dir_mode_for_group(mode_t mode) {
  return static_cast<mode_t>(((mode & 07777) | S_IXGRP) & ~static_cast<mode_t>(S_IWGRP | S_IWOTH));
}

}  // namespace lvsctl::director
