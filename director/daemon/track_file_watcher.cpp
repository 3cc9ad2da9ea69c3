#include "director/daemon/track_file_watcher.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "shared/regular_file.hpp"

namespace lvsctl::director {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}
std::string base_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// init_file: writes VALUE when the file is missing (or always with overwrite, but not on a
// reload: keepalived does not overwrite then). Never follows a FIFO (O_NONBLOCK) and never
// truncates anything but a regular file.
void initialise(const config::VrrpTrackFile& f, bool reloading) {
  if (!f.init_value) return;
  struct stat st {};
  const bool exists = ::stat(f.path.c_str(), &st) == 0;
  if (exists && (!f.init_overwrite || reloading)) return;
  if (exists && !S_ISREG(st.st_mode)) {
    spdlog::warn("track_file {}: {} is not a regular file; init_file not written", f.name, f.path);
    return;
  }
  const int fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0644);
  if (fd < 0) {
    spdlog::warn("track_file {}: cannot write init_file {}: {}", f.name, f.path, std::strerror(errno));
    return;
  }
  const std::string text = std::to_string(*f.init_value) + "\n";
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    spdlog::warn("track_file {}: writing {}: {}", f.name, f.path, std::strerror(errno));
  }
  ::close(fd);
}

}  // namespace

TrackFileValue parse_track_file_value(std::string_view content) {
  TrackFileValue out;
  std::size_t i = 0;
  auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };  // isspace() in "C"
  while (i < content.size() && blank(content[i])) ++i;
  bool negative = false;
  if (i < content.size() && (content[i] == '-' || content[i] == '+')) {
    negative = content[i] == '-';
    ++i;
  }
  auto digit = [](char c, int base) -> int {
    int d = 99;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    return d < base ? d : -1;
  };
  int base = 10;
  if (i < content.size() && content[i] == '0') {
    // "0x" counts as hexadecimal only when a hex digit follows ("0xg" reads as 0, as strtol).
    if (i + 2 < content.size() && (content[i + 1] == 'x' || content[i + 1] == 'X') &&
        digit(content[i + 2], 16) >= 0) {
      base = 16;
      i += 2;
    } else {
      base = 8;
    }
  }
  // Anything beyond 2^31 is out of keepalived's range: stop growing there (no overflow).
  constexpr std::int64_t kLimit = std::int64_t{1} << 32;
  std::int64_t value = 0;
  for (; i < content.size() && digit(content[i], base) >= 0; ++i) {
    out.number = true;
    value = std::min(value * base + digit(content[i], base), kLimit);
  }
  if (!out.number) return out;  // no digits: 0, as strtol
  value = negative ? -value : value;
  out.value = value;
  out.valid = value >= -(std::int64_t{1} << 31) && value <= (std::int64_t{1} << 31);
  return out;
}

Result<std::string> read_track_file(const std::string& path) {
  // stat() first: a FIFO, device or socket is never opened (opening some devices has effects);
  // fstat() after open() settles a race with a rename. O_NONBLOCK: a FIFO swapped in between
  // does not make open() wait for a writer.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::from_errno(fmt::format("open {}", path));
  auto not_regular = [&](unsigned mode) {
    return Error{fmt::format("{}: not a regular file ({})", path, file_kind(mode)), EINVAL};
  };
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!fd) return Error::from_errno(fmt::format("open {}", path));
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(fmt::format("stat {}", path));
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
  std::string text(kTrackFileReadBytes, '\0');
  const ssize_t n = ::read(fd.get(), text.data(), text.size());
  if (n < 0) return Error::from_errno(fmt::format("read {}", path));
  text.resize(static_cast<std::size_t>(n));
  return text;
}

std::vector<config::VrrpTrackFile> tracked_files(const config::Config& config,
                                                 const config::VrrpInstance& instance) {
  std::vector<config::VrrpTrackFile> out;
  for (const auto& t : instance.track_files) {
    auto it = std::find_if(config.vrrp_track_files.begin(), config.vrrp_track_files.end(),
                           [&](const auto& f) { return f.name == t.name; });
    if (it != config.vrrp_track_files.end()) out.push_back(*it);
  }
  return out;
}

TrackFileWatcher::TrackFileWatcher(EventLoop& loop, std::vector<config::VrrpTrackFile> files,
                                   Report report)
    : loop_(loop), files_(std::move(files)), report_(std::move(report)) {}

TrackFileWatcher::~TrackFileWatcher() { stop(); }

void TrackFileWatcher::start(bool reloading) {
  if (files_.empty() || inotify_) return;
  for (const auto& f : files_) initialise(f, reloading);
  inotify_ = Fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_) {
    spdlog::error("track_file: inotify: {}; files are read at start only", std::strerror(errno));
  } else {
    for (const auto& f : files_) {
      const std::string dir = directory_of(f.path);
      const int wd = ::inotify_add_watch(inotify_.get(), dir.c_str(),
                                         IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE |
                                             IN_MOVED_FROM);
      if (wd < 0) {
        spdlog::error("track_file {}: cannot watch {}: {}", f.name, dir, std::strerror(errno));
        continue;
      }
      directories_[wd] = dir;
    }
    if (auto st = loop_.watch(inotify_.get(), EPOLLIN, [this](uint32_t) { on_events(); }); !st) {
      spdlog::error("track_file: {}", st.error().message);
    }
  }
  for (const auto& f : files_) read_and_report(f);
}

void TrackFileWatcher::stop() {
  if (!inotify_) return;
  loop_.unwatch(inotify_.get());
  inotify_ = Fd();
  directories_.clear();
}

void TrackFileWatcher::on_events() {
  // Drain what is queued (bounded per wake-up), then re-read each file named in an event once.
  alignas(inotify_event) std::array<char, 8192> buffer{};
  std::vector<const config::VrrpTrackFile*> changed;
  for (int round = 0; round < 16; ++round) {
    const ssize_t n = ::read(inotify_.get(), buffer.data(), buffer.size());
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buffer.data() + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      if (ev->mask & IN_Q_OVERFLOW) {
        for (const auto& f : files_) changed.push_back(&f);
        continue;
      }
      const auto dir = directories_.find(ev->wd);
      // A directory at the file's name is not the file (keepalived skips these events too).
      if (dir == directories_.end() || ev->len == 0 || (ev->mask & IN_ISDIR)) continue;
      const std::string name(ev->name);
      for (const auto& f : files_) {
        if (directory_of(f.path) == dir->second && base_of(f.path) == name &&
            std::find(changed.begin(), changed.end(), &f) == changed.end()) {
          changed.push_back(&f);
        }
      }
    }
  }
  for (const auto* f : changed) read_and_report(*f);
}

void TrackFileWatcher::read_and_report(const config::VrrpTrackFile& file) {
  TrackFileValue read;
  std::string problem;
  auto content = read_track_file(file.path);
  if (!content) {
    problem = content.error().message + " (counts as 0, as keepalived's does)";
  } else {
    read = parse_track_file_value(*content);
    if (!read.number) {
      problem = fmt::format("{}: no number in the file (counts as 0, as keepalived's does)",
                            file.path);
    } else if (!read.valid) {
      // The number as written (its first line, at most 40 bytes, printable only).
      std::string shown;
      for (char c : std::string_view(*content).substr(0, 40)) {
        if (c == '\n') break;
        shown += (c >= 0x20 && c < 0x7f) ? c : '?';
      }
      problem = fmt::format("{}: '{}' is outside -2147483648..2147483648: ignored as keepalived "
                            "ignores it (the previous value stands)",
                            file.path, shown);
    }
  }
  auto& last = last_error_[file.name];
  if (!problem.empty() && problem != last) spdlog::warn("track_file {}: {}", file.name, problem);
  last = problem;
  if (!read.valid) return;
  spdlog::debug("track_file {}: {} holds {}", file.name, file.path, read.value);
  report_(file.name, read.value);
}

}  // namespace lvsctl::director
