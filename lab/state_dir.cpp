#include "lab/state_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace lvsctl::lab {

namespace fs = std::filesystem;

namespace {
constexpr const char* kMarker = ".lvsctl-lab";
}

bool StateDir::exists() const {
  struct stat st {};
  return ::lstat(path_.c_str(), &st) == 0;
}

bool StateDir::is_ours() const {
  struct stat st {};
  if (::lstat(path_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  if (st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) return false;
  return ::lstat(file(kMarker).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Status StateDir::create() const {
  if (path_.empty() || path_[0] != '/') return Error{"the state dir must be absolute: " + path_};
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Error{path_ + " exists and is not a directory"};
    std::error_code ec;
    if (!is_ours() && !fs::is_empty(path_, ec)) {
      return Error{path_ + " is not the lab's state dir (no " + kMarker +
                   " marker, or not 0700 and ours): choose another --state-dir"};
    }
  } else if (::mkdir(path_.c_str(), 0700) != 0) {
    return Error::from_errno("cannot create " + path_);
  }
  if (::chmod(path_.c_str(), 0700) != 0) return Error::from_errno("chmod " + path_);
  if (auto st2 = write(kMarker, "lvsctl lab state; `lvsctl lab down` removes this directory\n");
      !st2) {
    return st2;
  }
  std::error_code ec;
  fs::create_directory(file("pids"), ec);
  if (ec) return Error{"cannot create " + file("pids") + ": " + ec.message()};
  return {};
}

Status StateDir::remove() const {
  if (!exists()) return {};
  if (!is_ours()) return Error{"not removing " + path_ + ": it is not the lab's state dir"};
  std::error_code ec;
  fs::remove_all(path_, ec);
  if (ec) return Error{"cannot remove " + path_ + ": " + ec.message()};
  return {};
}

Status StateDir::write(const std::string& name, const std::string& text) const {
  const std::string target = file(name);
  const std::string tmp = target + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Error{"cannot write " + tmp};
  }
  ::chmod(tmp.c_str(), 0600);
  if (::rename(tmp.c_str(), target.c_str()) != 0) return Error::from_errno("rename " + target);
  return {};
}

Status StateDir::record(const std::string& name, pid_t pid) const {
  const auto start = start_time_of(pid);
  return write("pids/" + name,
               std::to_string(pid) + " " + std::to_string(start.value_or(0)) + "\n");
}

std::optional<ProcessId> StateDir::recorded(const std::string& name) const {
  std::ifstream in(file("pids/" + name));
  ProcessId id;
  if (!(in >> id.pid >> id.start_time) || id.pid <= 1) return std::nullopt;
  return id;
}

std::vector<std::pair<std::string, ProcessId>> StateDir::all_recorded() const {
  std::vector<std::pair<std::string, ProcessId>> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(file("pids"), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp")) continue;
    if (auto id = recorded(name)) out.emplace_back(name, *id);
  }
  return out;
}

}  // namespace lvsctl::lab
