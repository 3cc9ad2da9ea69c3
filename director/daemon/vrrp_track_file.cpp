#include "director/daemon/vrrp_track_file.hpp"

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

#include "shared/regular_file.hpp"

namespace lvsctl::director {
namespace {

constexpr std::size_t kMaxTrackFileBytes = 4096;

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}
std::string base_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// init_file: writes VALUE when the file is missing (or always with overwrite). Never follows a
// FIFO (O_NONBLOCK) and never truncates anything but a regular file.
void initialise(const config::VrrpTrackFile& f) {
  if (!f.init_value) return;
  struct stat st {};
  const bool exists = ::stat(f.path.c_str(), &st) == 0;
  if (exists && !f.init_overwrite) return;
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

std::optional<std::int64_t> parse_track_file_value(std::string_view content) {
  std::size_t i = 0;
  while (i < content.size() && (content[i] == ' ' || content[i] == '\t' || content[i] == '\n' ||
                                content[i] == '\r')) {
    ++i;
  }
  bool negative = false;
  if (i < content.size() && (content[i] == '-' || content[i] == '+')) {
    negative = content[i] == '-';
    ++i;
  }
  const std::size_t first_digit = i;
  std::int64_t value = 0;
  while (i < content.size() && content[i] >= '0' && content[i] <= '9') {
    value = std::min<std::int64_t>(value * 10 + (content[i] - '0'), 2147483647);  // "%d" range
    ++i;
  }
  if (i == first_digit) return std::nullopt;
  return negative ? -value : value;
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

void TrackFileWatcher::start() {
  if (files_.empty() || inotify_) return;
  for (const auto& f : files_) initialise(f);
  inotify_ = Fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_) {
    spdlog::error("track_file: inotify: {}; files are read at start only", std::strerror(errno));
  } else {
    for (const auto& f : files_) {
      const std::string dir = directory_of(f.path);
      const int wd = ::inotify_add_watch(inotify_.get(), dir.c_str(),
                                         IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                                             IN_MOVED_FROM | IN_MODIFY);
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
      if (dir == directories_.end() || ev->len == 0) continue;
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
  std::int64_t value = 0;
  std::string problem;
  auto content = read_regular_file(file.path, kMaxTrackFileBytes);
  if (!content) {
    problem = content.error().message;
  } else if (auto v = parse_track_file_value(*content)) {
    value = *v;
  } else {
    problem = "no number in the file";
  }
  auto& last = last_error_[file.name];
  if (!problem.empty() && problem != last) {
    spdlog::warn("track_file {}: {} (counts as 0, as keepalived's does)", file.name, problem);
  }
  last = problem;
  spdlog::debug("track_file {}: {} holds {}", file.name, file.path, value);
  report_(file.name, value);
}

}  // namespace lvsctl::director
