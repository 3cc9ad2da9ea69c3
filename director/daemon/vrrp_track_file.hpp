#pragma once
// TrackFileWatcher: the track_file files of one instance, read at start and again whenever
// inotify says their directory entry changed (written and closed, moved in, created, deleted),
// on the event loop. Never blocking: inotify is non-blocking, each read goes through
// read_regular_file (a FIFO or a device is never opened for reading, at most 64 bytes are read).
// The value is the integer the file starts with (keepalived reads "%d"); a missing, unreadable or
// non-numeric file counts as 0, as keepalived's does, and is logged once per change.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "shared/event_loop.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director {

// The integer a track file's content starts with (spaces first allowed, then an optional sign
// and digits), as keepalived's "%d" reads it; nullopt when there is none.
std::optional<std::int64_t> parse_track_file_value(std::string_view content);

class TrackFileWatcher {
 public:
  using Report = std::function<void(const std::string& name, std::int64_t value)>;

  TrackFileWatcher(EventLoop& loop, std::vector<config::VrrpTrackFile> files, Report report);
  ~TrackFileWatcher();
  TrackFileWatcher(const TrackFileWatcher&) = delete;
  TrackFileWatcher& operator=(const TrackFileWatcher&) = delete;

  // init_file values written, inotify watches set, and every file read and reported once.
  void start();
  void stop();
  std::size_t size() const { return files_.size(); }

 private:
  void on_events();
  void read_and_report(const config::VrrpTrackFile& file);

  EventLoop& loop_;
  std::vector<config::VrrpTrackFile> files_;
  Report report_;
  Fd inotify_;
  std::map<int, std::string> directories_;        // watch descriptor -> directory
  std::map<std::string, std::string> last_error_;  // per file: the last problem logged
};

// The track_file blocks `instance` tracks, in its track_file order (unknown names skipped).
std::vector<config::VrrpTrackFile> tracked_files(const config::Config& config,
                                                 const config::VrrpInstance& instance);

}  // namespace lvsctl::director
