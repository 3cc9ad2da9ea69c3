#include "director/daemon/file_check_feed.hpp"

#include <variant>

#include "director/check/file_check.hpp"

namespace lvsctl::director {

FileCheckFeed::FileCheckFeed(EventLoop& loop, const config::Config& config,
                             const check::CheckPlan& plan, Observe observe)
    : observe_(std::move(observe)) {
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const auto& checkers = plan.servers[s].checkers;
    for (std::size_t c = 0; c < checkers.size(); ++c) {
      if (const auto* f = std::get_if<config::FileCheck>(&checkers[c].spec)) {
        trackers_[f->track_file].push_back(Tracker{s, c, *f});
      }
    }
  }
  if (trackers_.empty()) return;
  std::vector<config::VrrpTrackFile> files;
  for (const auto& f : config.vrrp_track_files) {
    if (trackers_.count(f.name)) files.push_back(f);
  }
  watcher_ = std::make_unique<TrackFileWatcher>(
      loop, std::move(files),
      [this](const std::string& name, std::int64_t value) { on_value(name, value); });
}

void FileCheckFeed::start(bool reloading) {
  if (watcher_) watcher_->start(reloading);
}

void FileCheckFeed::stop() {
  if (watcher_) watcher_->stop();
}

void FileCheckFeed::on_value(const std::string& name, std::int64_t value) {
  const auto it = trackers_.find(name);
  if (it == trackers_.end()) return;
  for (const Tracker& t : it->second) {
    observe_(t.server, t.checker,
             check::judge_file_value(name, value, t.check.weight, t.check.reverse));
  }
}

}  // namespace lvsctl::director
