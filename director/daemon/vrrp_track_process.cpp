#include "director/daemon/vrrp_track_process.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "shared/fd.hpp"

namespace lvsctl::director {
namespace {

// /proc/PID/stat: the name comes right after the pid; 512 bytes always hold it and the state.
constexpr std::size_t kStatBytes = 512;
// A command line is compared on its first bytes only (the longest block's words), at most this.
constexpr std::size_t kMaxCmdlineBytes = 64 * 1024;

// One read of at most `max` bytes (a /proc file hands its text over in one read).
bool read_bounded(const std::string& path, std::string& out, std::size_t max) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) return false;
  out.resize(max);
  const ssize_t n = ::read(fd.get(), out.data(), max);
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n));
  return true;
}

bool all_digits(const char* s) {
  if (*s < '1' || *s > '9') return false;
  for (; *s != '\0'; ++s) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

}  // namespace

std::vector<config::VrrpTrackProcess> tracked_processes(const config::Config& config,
                                                        const config::VrrpInstance& instance) {
  std::vector<std::string> names;
  for (const auto& t : instance.track_processes) names.push_back(t.name);
  for (const auto& g : config.vrrp_sync_groups) {
    if (instance.sync_group.empty() || g.name != instance.sync_group) continue;
    for (const auto& t : g.track_processes) names.push_back(t.name);
  }
  std::vector<config::VrrpTrackProcess> out;
  for (const auto& p : config.vrrp_track_processes) {
    if (std::find(names.begin(), names.end(), p.name) != names.end()) out.push_back(p);
  }
  return out;
}

TrackProcessWatcher::TrackProcessWatcher(EventLoop& loop,
                                         std::vector<config::VrrpTrackProcess> processes,
                                         Report report, std::string proc_root)
    : loop_(loop),
      processes_(std::move(processes)),
      counting_(processes_.size(), 0),
      report_(std::move(report)),
      proc_root_(std::move(proc_root)) {
  for (const auto& p : processes_) {
    quorums_.emplace_back(p);
    if (p.full_command) {
      want_cmdline_ = true;
      cmdline_bytes_ = std::max(cmdline_bytes_, cmdline_bytes_needed(p));
    } else {
      want_comm_ = true;
    }
  }
  cmdline_bytes_ = std::min(cmdline_bytes_, kMaxCmdlineBytes);
}

TrackProcessWatcher::~TrackProcessWatcher() { stop(); }

void TrackProcessWatcher::start() {
  if (processes_.empty() || running_) return;
  running_ = true;
  begin_pass();
}

void TrackProcessWatcher::stop() {
  running_ = false;
  loop_.cancel_timer(pass_timer_);
  loop_.cancel_timer(delay_timer_);
  pass_timer_ = delay_timer_ = 0;
  dir_.reset();
}

void TrackProcessWatcher::begin_pass() {
  pass_timer_ = 0;
  pass_started_ = loop_.now();
  std::fill(counting_.begin(), counting_.end(), 0U);
  dir_.reset(::opendir(proc_root_.c_str()));
  if (!dir_) {
    if (!logged_open_error_) {
      spdlog::error("track_process: cannot read {}: {}; no process counts", proc_root_,
                    std::strerror(errno));
    }
    logged_open_error_ = true;
    end_pass();  // every block counts 0
    return;
  }
  logged_open_error_ = false;
  slice();
}

void TrackProcessWatcher::slice() {
  pass_timer_ = 0;
  for (std::size_t seen = 0; seen < kPidsPerSlice; ++seen) {
    errno = 0;
    const dirent* entry = ::readdir(dir_.get());
    if (entry == nullptr) {
      dir_.reset();
      end_pass();
      return;
    }
    if (all_digits(entry->d_name)) look_at(entry->d_name);
  }
  // More to read: give the loop its turn first (adverts, packets), then go on.
  pass_timer_ = loop_.after(std::chrono::milliseconds(1), [this] { slice(); });
}

void TrackProcessWatcher::look_at(const char* pid) {
  const std::string base = proc_root_ + "/" + pid;
  std::string stat;
  if (!read_bounded(base + "/stat", stat, kStatBytes)) return;  // gone meanwhile
  const auto parsed = parse_process_stat(stat);
  if (!parsed || parsed->gone) return;  // zombies do not run (keepalived skips them)
  std::string cmdline;
  if (want_cmdline_ && !read_bounded(base + "/cmdline", cmdline, cmdline_bytes_)) return;
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    if (process_matches(processes_[i], parsed->comm, cmdline)) ++counting_[i];
  }
}

void TrackProcessWatcher::end_pass() {
  const auto now = loop_.now();
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const bool first = !quorums_[i].verdict().has_value();
    const auto change = quorums_[i].count(counting_[i], now);
    if (first && change) {
      spdlog::info("track_process {}: {} matching process(es), quorum {}", processes_[i].name,
                   counting_[i], *change ? "held" : "not held");
      report_(processes_[i].name, *change);
      continue;
    }
    settle(i, change);
  }
  arm_delay();
  if (!running_) return;
  const auto next = std::max(pass_started_ + kInterval, now + std::chrono::milliseconds(100));
  pass_timer_ = loop_.add_timer(next, [this] { begin_pass(); });
}

void TrackProcessWatcher::settle(std::size_t i, std::optional<bool> change) {
  if (!change) return;
  // keepalived's line: "Quorum gained for tracked process NAME" / "Quorum lost ..."
  spdlog::info("Quorum {} for tracked process {} ({} matching)", *change ? "gained" : "lost",
               processes_[i].name, quorums_[i].processes());
  report_(processes_[i].name, *change);
}

void TrackProcessWatcher::arm_delay() {
  loop_.cancel_timer(delay_timer_);
  delay_timer_ = 0;
  std::optional<Clock::time_point> due;
  for (const auto& q : quorums_) {
    if (q.due() && (!due || *q.due() < *due)) due = q.due();
  }
  if (!due || !running_) return;
  delay_timer_ = loop_.add_timer(*due, [this] {
    delay_timer_ = 0;
    const auto now = loop_.now();
    for (std::size_t i = 0; i < quorums_.size(); ++i) settle(i, quorums_[i].tick(now));
    arm_delay();
  });
}

}  // namespace lvsctl::director
