#pragma once
// FileCheckFeed: drives the FILE_CHECKs of a check plan from their track files. It watches the
// track_file blocks they name (one TrackFileWatcher, the one reader of track files, shared in
// kind with VRRP's) and turns each value the watcher reports into every tracking checker's
// result (check::judge_file_value), handed to `observe` (CheckEngine::observe). A file read at
// start() is reported there and then, so the real servers' first state already follows it.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "director/check/from_config.hpp"
#include "director/check/probe_result.hpp"
#include "director/config/model.hpp"
#include "director/daemon/track_file_watcher.hpp"
#include "shared/event_loop.hpp"

namespace lvsctl::director {

class FileCheckFeed {
 public:
  using Observe =
      std::function<void(std::size_t server, std::size_t checker, const check::ProbeResult&)>;

  // The FILE_CHECKs of `plan` (server and checker indexes as the engine has them); the track
  // files come from `config`. Nothing is read before start().
  FileCheckFeed(EventLoop& loop, const config::Config& config, const check::CheckPlan& plan,
                Observe observe);

  // Reads every tracked file once (reporting it) and watches them. `reloading`: see
  // TrackFileWatcher::start.
  void start(bool reloading);
  void stop();

 private:
  struct Tracker {
    std::size_t server = 0;
    std::size_t checker = 0;
    config::FileCheck check;
  };
  void on_value(const std::string& name, std::int64_t value);

  Observe observe_;
  std::map<std::string, std::vector<Tracker>> trackers_;  // track_file name -> its FILE_CHECKs
  std::unique_ptr<TrackFileWatcher> watcher_;
};

}  // namespace lvsctl::director
