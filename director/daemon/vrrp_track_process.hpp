#pragma once
// TrackProcessWatcher: the vrrp_track_process blocks of one instance, counted by a periodic scan
// of /proc on the event loop and reported as quorum gained / lost (process_match.hpp decides).
//
// Why a scan and not keepalived's proc connector (netlink process events): the connector only
// delivers in the initial network namespace (keepalived 2.2.7 gets ECONNREFUSED elsewhere and
// then never counts, see docs/keepalived-compat.md), needs CAP_NET_ADMIN, and a fork storm
// floods it. A scan works in any namespace and its cost does not depend on the fork rate:
// a pass starts every second and reads at most kPidsPerSlice /proc entries per wake-up (one
// bounded read of /proc/PID/stat, and of /proc/PID/cmdline only when a block uses
// full_command); the counts are judged when a pass ends. A change is therefore seen within
// about a second (keepalived: at once); fork_delay / terminate_delay then apply as keepalived's.
#include <dirent.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/daemon/process_match.hpp"
#include "shared/event_loop.hpp"

namespace lvsctl::director {

class TrackProcessWatcher {
 public:
  using Report = std::function<void(const std::string& name, bool have_quorum)>;
  static constexpr std::size_t kPidsPerSlice = 256;
  static constexpr std::chrono::milliseconds kInterval{1000};

  TrackProcessWatcher(EventLoop& loop, std::vector<config::VrrpTrackProcess> processes,
                      Report report, std::string proc_root = "/proc");
  ~TrackProcessWatcher();
  TrackProcessWatcher(const TrackProcessWatcher&) = delete;
  TrackProcessWatcher& operator=(const TrackProcessWatcher&) = delete;

  // The first pass starts; each block is reported once it ends, then on every change.
  void start();
  void stop();
  std::size_t size() const { return processes_.size(); }

 private:
  struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
  };
  void begin_pass();
  void slice();
  void end_pass();
  void look_at(const char* pid);
  void settle(std::size_t i, std::optional<bool> change);
  void arm_delay();

  EventLoop& loop_;
  std::vector<config::VrrpTrackProcess> processes_;
  std::vector<ProcessQuorum> quorums_;
  std::vector<unsigned> counting_;  // of the pass under way
  Report report_;
  std::string proc_root_;
  bool want_comm_ = false;
  bool want_cmdline_ = false;
  std::size_t cmdline_bytes_ = 0;
  std::unique_ptr<DIR, DirCloser> dir_;
  Clock::time_point pass_started_{};
  TimerId pass_timer_ = 0;
  TimerId delay_timer_ = 0;
  bool running_ = false;
  bool logged_open_error_ = false;
};

// The vrrp_track_process blocks `instance` tracks, by name (its own and its sync group's).
std::vector<config::VrrpTrackProcess> tracked_processes(const config::Config& config,
                                                        const config::VrrpInstance& instance);

}  // namespace lvsctl::director
