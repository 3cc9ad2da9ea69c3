#pragma once
// TrackFileWatcher: track_file files (the one model of a tracked file, config/track_model.hpp),
// read at start and again whenever inotify says their directory entry changed, on the event
// loop. Used by VRRP instances (priority, FAULT) and by FILE_CHECK (a real server's weight and
// state, through the health monitor). As keepalived 2.2.7 (track_file.c), a file is re-read
// when it is written and closed or moved in, and counts as 0 when it is deleted or moved away;
// a write still in progress (IN_MODIFY) is not read, so `echo 5 > file` is seen once, as 5.
// Never blocking: inotify is non-blocking and each read (read_track_file) opens only a regular
// file, non-blocking, and reads its first 127 bytes once (keepalived's buffer), however large it
// is; a FIFO, a device, a socket or a directory is never read and counts as 0.
// The value is read as keepalived reads it (parse_track_file_value): a missing, unreadable or
// non-numeric file counts as 0; a number outside -2147483648..2147483648 is ignored (the
// previous value stands). Each problem is logged once per change.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "director/config/model.hpp"
#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// How much of a track file keepalived reads (its 128-byte buffer, one byte kept for the NUL).
inline constexpr std::size_t kTrackFileReadBytes = 127;

// keepalived 2.2.7's reading of a track file's first bytes, strtol(buf, NULL, 0): blanks
// skipped, an optional sign, then 0x/0X hexadecimal, a leading 0 octal, else decimal, up to the
// first other character.
struct TrackFileValue {
  std::int64_t value = 0;  // 0 when there is no number (as keepalived, which never notices)
  bool number = false;     // digits were found
  bool valid = true;       // false: outside -2147483648..2147483648, which keepalived ignores
};
TrackFileValue parse_track_file_value(std::string_view content);

// The first kTrackFileReadBytes of `path`, read once, when it is a regular file (symbolic
// links followed); else an error for the log ("PATH: not a regular file (fifo)", "open PATH:
// No such file or directory").
Result<std::string> read_track_file(const std::string& path);

class TrackFileWatcher {
 public:
  using Report = std::function<void(const std::string& name, std::int64_t value)>;

  TrackFileWatcher(EventLoop& loop, std::vector<config::VrrpTrackFile> files, Report report);
  ~TrackFileWatcher();
  TrackFileWatcher(const TrackFileWatcher&) = delete;
  TrackFileWatcher& operator=(const TrackFileWatcher&) = delete;

  // init_file values written, inotify watches set, and every file read and reported once (a
  // file holding an out-of-range number is not reported). `reloading`: started by a reload of a
  // running daemon, when keepalived does not overwrite an existing file (init_file overwrite).
  void start(bool reloading = false);
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
