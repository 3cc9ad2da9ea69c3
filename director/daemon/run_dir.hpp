#pragma once
// The daemon's run directory (pid file + control socket): which paths are acceptable (pure
// decisions, given what stat() says), and its preparation (created 0700, then checked).
// A run dir must be absolute and non-empty (`--run-dir ""` would put both files in "/"), a
// directory owned by the daemon's user, and writable by nobody else: whoever can write there
// could plant a symlink as the pid file or replace the socket.
#include <sys/types.h>

#include <string>

#include "shared/result.hpp"

namespace lvsctl::director {

// Empty or relative paths are refused (the error names the value).
Status check_run_dir_path(const std::string& path);

// What the daemon knows of a path (lstat/stat), for the pure checks.
struct FileFacts {
  bool is_directory = false;
  uid_t owner = 0;
  mode_t mode = 0;  // st_mode
};
// The run dir as found (after following symlinks to it): a directory, owned by `me`, not
// writable by group or others.
Status judge_run_dir(const std::string& path, const FileFacts& facts, uid_t me);

// A file's identity, to tell later whether the path still names the same file.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileIdentity&) const = default;
};

// Checks the path, creates the directory (mode 0700) when absent, and judges it. Returns the
// directory's identity (see run_dir_unchanged).
Result<FileIdentity> prepare_run_dir(const std::string& path);
// True while `path` names the directory prepare_run_dir returned.
bool run_dir_unchanged(const std::string& path, const FileIdentity& identity);

}  // namespace lvsctl::director
