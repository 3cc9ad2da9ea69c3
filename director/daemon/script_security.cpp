#include "director/daemon/script_security.hpp"

#include "shared/script_command.hpp"

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

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_shell(const std::string& program) {
  static const char* const kShells[] = {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"};
  const std::string name = base_name(program);
  for (const char* s : kShells) {
    if (name == s) return true;
  }
  return false;
}

std::string absolute(const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) == "/" ? "/" + path : std::string(cwd) + "/" + path;
}

// What a file that runs as root may not be; nullopt when it is safe.
std::optional<std::string> unsafe_file(const std::string& file) {
  const std::string path = absolute(file);
  if (auto unsafe = unsafe_path(path)) return unsafe;
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) != nullptr && path != real) return unsafe_path(real);
  return std::nullopt;
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

Result<ExecutedFiles> executed_files(const std::vector<std::string>& argv) {
  ExecutedFiles out;
  std::size_t at = 0;  // argv[at] is the program executed
  while (at < argv.size()) {
    const std::string& program = argv[at];
    out.files.push_back(absolute(program));
    std::size_t i = at + 1;
    if (base_name(program) == "env") {
      // env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=value]... [--] PROGRAM [ARG]...
      for (; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") {
          ++i;
          break;
        }
        if (a == "-u" || a == "-C" || a == "--unset" || a == "--chdir") {
          ++i;
          continue;
        }
        if (a == "-S" || a.rfind("--split-string", 0) == 0 || (a.size() > 2 && a.rfind("-S", 0) == 0)) {
          return Error{"env -S runs a command line split by env: it cannot be vetted", EPERM};
        }
        if (a.size() > 1 && a.front() == '-') continue;
        if (a.find('=') != std::string::npos) continue;
        break;
      }
      if (i >= argv.size()) return out;
      auto found = find_program(argv[i]);
      if (!found) return found.error();
      std::vector<std::string> rest(argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
      rest.front() = *found;
      auto more = executed_files(rest);
      if (!more) return more;
      out.files.insert(out.files.end(), more->files.begin(), more->files.end());
      out.command_string = more->command_string;
      return out;
    }
    if (!is_shell(program)) return out;
    bool command_mode = false;
    for (; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a == "--" || a == "-") {
        ++i;
        break;
      }
      if (a == "-o" || a == "+o" || a == "-O" || a == "+O" || a == "--rcfile" ||
          a == "--init-file") {
        ++i;
        continue;
      }
      if (a.size() > 1 && (a.front() == '-' || a.front() == '+')) {
        if (a.rfind("--", 0) != 0 && a.find('c') != std::string::npos && a.front() == '-') {
          command_mode = true;
        }
        if (a.rfind("--", 0) != 0 && a.find('s') != std::string::npos && a.front() == '-') {
          return out;  // commands from stdin, which is /dev/null
        }
        continue;
      }
      break;
    }
    if (i >= argv.size()) return out;
    if (command_mode) {
      out.command_string = argv[i];
      return out;
    }
    out.files.push_back(absolute(argv[i]));
    return out;  // the shell reads that file; what it runs is the script's business
  }
  return out;
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
  std::optional<std::string> unsafe;
  auto argv = script_argv(script.command);
  if (!argv) {
    unsafe = "cannot be run: " + argv.error().message;
  } else if (auto files = executed_files(*argv); !files) {
    unsafe = files.error().message;
  } else {
    for (const auto& file : files->files) {
      if ((unsafe = unsafe_file(file))) break;
    }
    if (!unsafe && files->command_string) {
      spdlog::warn("{} '{}': the command string given to {} -c is not vetted (only {} is); it "
                   "runs as root",
                   what, script.command, base_name(files->files.back()), files->files.back());
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
