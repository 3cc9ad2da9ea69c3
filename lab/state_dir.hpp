#pragma once
// The lab's state directory (default /run/lvsctl-lab): the directors' configs and run dirs, the
// processes the lab started (pids/NAME: "PID STARTTIME"), and every log. A marker file says the
// directory is the lab's, so `down` removes only a directory the lab made.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lab/launch.hpp"
#include "shared/result.hpp"

namespace lvsctl::lab {

class StateDir {
 public:
  explicit StateDir(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

  // Creates the directory (0700) with the marker; an existing directory must be ours (marker,
  // owned by us, not group/world-writable) or empty.
  Status create() const;
  bool exists() const;
  bool is_ours() const;
  // Removes the directory and everything in it; refuses one without the marker.
  Status remove() const;

  Status record(const std::string& name, pid_t pid) const;
  std::optional<ProcessId> recorded(const std::string& name) const;
  std::vector<std::pair<std::string, ProcessId>> all_recorded() const;
  Status write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

}  // namespace lvsctl::lab
