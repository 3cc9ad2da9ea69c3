#include "director/daemon/script_security.hpp"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <utility>
#include <fmt/format.h>

namespace lvsctl::director {
namespace {

constexpr const char* kDefaultUser = "keepalived_script";

std::optional<Credentials> user_named(const std::string& name) {
  const passwd* pw = ::getpwnam(name.c_str());
  if (pw == nullptr) return std::nullopt;
  return Credentials{pw->pw_uid, pw->pw_gid};
}

std::optional<gid_t> group_named(const std::string& name) {
  const group* gr = ::getgrnam(name.c_str());
  if (gr == nullptr) return std::nullopt;
  return gr->gr_gid;
}

bool is_root(const Credentials& as) { return as.uid == 0 || as.gid == 0; }

// lstat() of every part of `path` ("/a", "/a/b"); the first one that cannot be read ends it
// with an error.
Result<std::vector<PathEntry>> path_entries(const std::string& path) {
  std::vector<PathEntry> out;
  std::size_t at = 0;
  while (at != std::string::npos) {
    const std::size_t slash = path.find('/', at == 0 ? 1 : at);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    const std::string part = end == 0 ? std::string(1, '/') : path.substr(0, end);
    struct stat st {};
    if (::lstat(part.c_str(), &st) != 0) return Error::from_errno(part);
    out.push_back(PathEntry{part, slash == std::string::npos, st.st_mode, st.st_uid, st.st_gid});
    at = slash == std::string::npos ? std::string::npos : slash + 1;
  }
  if (path == "/") out.back().last = true;
  return out;
}

std::optional<std::string> unsafe_path(const std::string& path) {
  auto entries = path_entries(path);
  if (!entries) return "cannot examine " + entries.error().message;
  for (const auto& e : *entries) {
    if (auto why = unsafe_reason(e)) return why;
  }
  return std::nullopt;
}

std::string search_path(const std::string& name) {
  const char* env = std::getenv("PATH");
  const std::string dirs = env != nullptr ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  std::size_t at = 0;
  while (at <= dirs.size()) {
    const std::size_t colon = std::min(dirs.find(':', at), dirs.size());
    const std::string dir = dirs.substr(at, colon - at);
    if (!dir.empty()) {
      const std::string candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    at = colon + 1;
  }
  return {};
}

}  // namespace

std::optional<std::string> unsafe_reason(const PathEntry& e) {
  const bool dir = S_ISDIR(e.mode);
  // A symlinked directory on the way (merged /usr: /bin -> usr/bin) is judged by its owner here
  // and by its target in the realpath walk.
  if (!e.last && !dir && !S_ISLNK(e.mode)) return e.path + " is not a directory";
  if (e.last && !S_ISREG(e.mode) && !S_ISLNK(e.mode)) return e.path + " is not a regular file";
  if (e.uid != 0) return fmt::format("{} is owned by uid {}, not root", e.path, e.uid);
  const bool mode_matters = (dir && (e.mode & S_ISVTX) == 0) || S_ISREG(e.mode);
  if (!mode_matters) return std::nullopt;
  if (e.gid != 0 && (e.mode & S_IWGRP) != 0) {
    return fmt::format("{} is writable by group {}", e.path, e.gid);
  }
  if ((e.mode & S_IWOTH) != 0) return e.path + " is writable by everyone";
  return std::nullopt;
}

std::string script_program(const std::string& command) {
  const std::size_t begin = command.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const std::size_t end = command.find_first_of(" \t", begin);
  std::string word = command.substr(begin, end == std::string::npos ? end : end - begin);
  if (word.find('/') == std::string::npos) return search_path(word);
  return word;
}

Accounts system_accounts() {
  return Accounts{user_named, group_named, Credentials{::getuid(), ::getgid()}};
}

ScriptSecurity::ScriptSecurity(const config::GlobalDefs& global, Accounts accounts)
    : accounts_(std::move(accounts)),
      enforce_(global.enable_script_security),
      user_(global.script_user),
      group_(global.script_group) {}

std::string vetting_key(const config::ScriptCommand& script) {
  return script.command + '\0' + script.user.value_or("") + '\0' + script.group.value_or("");
}

Result<Credentials> ScriptSecurity::identity(const config::ScriptCommand& script) const {
  const auto& user = script.user ? script.user : user_;
  const auto& group = script.user ? script.group : group_;
  Credentials as = accounts_.self;
  if (user) {
    auto found = accounts_.user(*user);
    if (!found) return Error{"user " + *user + " does not exist", ENOENT};
    as = *found;
  } else if (auto fallback = accounts_.user(kDefaultUser)) {
    as = *fallback;
  } else if (enforce_) {
    // keepalived 2.2.7 (get_default_script_user): with script security there is no fallback to
    // the daemon's own user (root, in practice).
    return Error{fmt::format("script_user is not set and user {} does not exist: "
                             "enable_script_security does not run scripts as root by default "
                             "(set script_user, or `user` for this script)",
                             kDefaultUser),
                 ENOENT};
  } else if (is_root(as)) {
    static bool warned = false;
    if (!warned) {
      warned = true;
      spdlog::warn("script_user is not set and user {} does not exist: scripts run as root",
                   kDefaultUser);
    }
  }
  if (group) {
    auto gid = accounts_.group(*group);
    if (!gid) return Error{"group " + *group + " does not exist", ENOENT};
    as.gid = *gid;
  }
  return as;
}

Result<Credentials> ScriptSecurity::vet(const config::ScriptCommand& script,
                                        const std::string& what) const {
  auto as = identity(script);
  if (!as) return as;
  if (!is_root(*as)) return as;
  const std::string program = script_program(script.command);
  std::optional<std::string> unsafe;
  if (program.empty()) {
    unsafe = "'" + script.command + "' names no program that can be found";
  } else {
    unsafe = unsafe_path(program);
    if (!unsafe) {
      char real[PATH_MAX];
      if (::realpath(program.c_str(), real) != nullptr && program != real) unsafe = unsafe_path(real);
    }
  }
  if (!unsafe) return as;
  if (enforce_) {
    return Error{"refused to run as root (enable_script_security): " + *unsafe, EPERM};
  }
  spdlog::warn("SECURITY VIOLATION: {} '{}' runs as root but {} (set enable_script_security to "
               "refuse it)",
               what, script.command, *unsafe);
  return as;
}

}  // namespace lvsctl::director
