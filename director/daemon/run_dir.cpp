#include "director/daemon/run_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace lvsctl::director {

Status check_run_dir_path(const std::string& path) {
  if (path.empty()) return Error{"an empty path is not a run directory", EINVAL};
  if (path.front() != '/') {
    return Error{fmt::format("'{}' is relative; a run directory must be an absolute path", path), EINVAL};
  }
  return {};
}

Status judge_run_dir(const std::string& path, const FileFacts& facts, uid_t me) {
  if (!facts.is_directory) {
    return Error{fmt::format("run directory {} is not a directory", path), ENOTDIR};
  }
  if (facts.owner != me) {
    return Error{fmt::format("run directory {} is owned by uid {}, not by us (uid {}); refusing it",
                             path, facts.owner, me),
                 EPERM};
  }
  if ((facts.mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Error{fmt::format("run directory {} is writable by {} (mode {:04o}); refusing it: make "
                             "it writable by its owner only (chmod go-w)",
                             path, (facts.mode & S_IWOTH) ? "everyone" : "its group",
                             facts.mode & 07777),
                 EPERM};
  }
  return {};
}

Result<FileIdentity> prepare_run_dir(const std::string& path) {
  if (auto st = check_run_dir_path(path); !st) return st.error();
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error::from_errno("cannot create run directory " + path);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::from_errno("cannot stat run directory " + path);
  FileFacts facts{S_ISDIR(st.st_mode), st.st_uid, st.st_mode};
  if (auto judged = judge_run_dir(path, facts, ::geteuid()); !judged) return judged.error();
  return FileIdentity{st.st_dev, st.st_ino};
}

bool run_dir_unchanged(const std::string& path, const FileIdentity& identity) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && FileIdentity{st.st_dev, st.st_ino} == identity;
}

}  // namespace lvsctl::director
