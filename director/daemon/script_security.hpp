#pragma once
// ScriptSecurity: who a configured script runs as, and whether it may run at all, decided as
// keepalived 2.2.7 decides it (global_defs script_user / enable_script_security):
//  - the user: the script's own `user [group]`, else global_defs `script_user [group]`, else the
//    user keepalived_script when it exists, else the daemon's own user (root, with a warning,
//    once per process) -- but with enable_script_security there is no such fallback: a script
//    without its own user is refused when neither script_user nor keepalived_script exists
//    (keepalived: "Unable to set default user keepalived_script for script"; it removes such a
//    vrrp_script and MISC_CHECK and ignores such a notify script while parsing);
//  - a script that runs as root (uid or gid 0) is unsafe when any part of its path (every
//    directory from / and the file, as written and with symlinks resolved) is not owned by root
//    or is writable by a non-root group or by everyone (directories with the sticky bit, such as
//    /tmp, excepted). With enable_script_security an unsafe script is refused; without it, it
//    runs and a warning says so (keepalived's "SECURITY VIOLATION").
// Scripts run as another user are not checked (that user can only do what it may do anyway).
//
// What is vetted is exactly what is executed: scripts run without a shell (shared/script_command:
// keepalived's quoting rules, then execve() of argv[0] found as execvp() would), and every file
// executed_files() lists is judged: the program, and the script a shell or env is told to run.
#include <sys/stat.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/process.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// One part of a script's path as lstat() saw it.
struct PathEntry {
  std::string path;  // "/", "/usr", "/usr/bin/x"
  bool last = false;  // the script itself (else a directory on the way)
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Why `entry` makes a script run as root unsafe; nullopt when it is fine. Pure.
std::optional<std::string> unsafe_reason(const PathEntry& entry);

// The files that running `argv` (argv[0] already found in PATH, see script_argv()) executes and
// vetting must judge, argv[0] first:
//  - argv[0] itself;
//  - when argv[0] is a shell (sh, bash, dash, ash, ksh, mksh, zsh, by file name): the script file
//    it runs, its first argument that is not an option (`-o x`, `-O x`, `--rcfile x`,
//    `--init-file x` take a value; `--` and `-` end the options). With -c the shell runs a
//    command string instead: the string is reported in `command_string` and not vetted (a shell
//    string cannot be vetted; keepalived does not either); with -s it reads stdin (/dev/null);
//  - when argv[0] is env: the program it runs (after its options and NAME=value words), found
//    in PATH, and what that one runs in turn.
// Relative script paths are made absolute against the current directory (a child inherits it).
struct ExecutedFiles {
  std::vector<std::string> files;
  std::optional<std::string> command_string;
};
Result<ExecutedFiles> executed_files(const std::vector<std::string>& argv);

// How user and group names resolve, and who the daemon runs as: the system's (getpwnam,
// getgrnam, getuid) unless a test passes its own.
struct Accounts {
  std::function<std::optional<Credentials>(const std::string& name)> user;
  std::function<std::optional<gid_t>(const std::string& name)> group;
  Credentials self;
};
Accounts system_accounts();

// What vetting a script depends on besides the global settings: its command and its own
// user/group. One script vetted once per key; the same command with another user is another key.
std::string vetting_key(const config::ScriptCommand& script);

class ScriptSecurity {
 public:
  explicit ScriptSecurity(const config::GlobalDefs& global, Accounts accounts = system_accounts());

  // Who `script` runs as; an error saying why when it must not run. `what` names it in log lines.
  // Errors: ENOENT when no user can be chosen (identity()), EPERM when it would run as root
  // from an unsafe path and enable_script_security is set.
  Result<Credentials> vet(const config::ScriptCommand& script, const std::string& what) const;

  // Only the user part of vet(): who `script` runs as, or ENOENT when its user or group does not
  // exist, or it has no user of its own and enable_script_security leaves it none (see above).
  // keepalived decides this while parsing, before alpha marks checkers down, so a MISC_CHECK
  // refused here is dropped as if it were not configured (one refused by vet() later is not).
  Result<Credentials> identity(const config::ScriptCommand& script) const;

 private:
  Accounts accounts_;
  bool enforce_ = false;
  std::optional<std::string> user_;
  std::optional<std::string> group_;
};

}  // namespace lvsctl::director
