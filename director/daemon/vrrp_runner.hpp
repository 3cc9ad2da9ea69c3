#pragma once
// VrrpRunner: one running vrrp_instance. It feeds the pure state machine with packets, timers
// and link changes, and performs the actions it returns (send advert, VIPs on/off, gratuitous
// ARP, notify scripts). Holds no decisions of its own.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/daemon/route_install.hpp"
#include "director/daemon/vmac_link.hpp"
#include "director/daemon/vrrp_script.hpp"
#include "director/daemon/track_file_watcher.hpp"
#include "director/daemon/vrrp_track_process.hpp"
#include "director/daemon/vrrp_wire.hpp"
#include "director/vrrp/advert_packets.hpp"
#include "director/vrrp/master_conflict.hpp"
#include "director/vrrp/state_machine.hpp"
#include "shared/event_loop.hpp"
#include "shared/log_rate_limit.hpp"
#include "shared/netlink/route_socket.hpp"

namespace lvsctl::director {

class VrrpGroup;

// Runs a notify script with its arguments, asynchronously (never blocks adverts), as the given
// user (ScriptSecurity decides who) or, without one, as the daemon runs.
class ScriptRunner {
 public:
  using Function = std::function<void(const std::string& command,
                                      const std::vector<std::string>& args,
                                      std::optional<Credentials> as)>;
  using FifoWriter = std::function<void(const std::string& line)>;
  ScriptRunner() = default;
  ScriptRunner(Function run, FifoWriter fifo = {})  // NOLINT(google-explicit-constructor)
      : run_(std::move(run)), fifo_(std::move(fifo)) {}
  // A notify_fifo line (notify_fifo.hpp), when FIFOs are configured.
  void fifo(const std::string& line) const {
    if (fifo_) fifo_(line);
  }
  explicit operator bool() const { return static_cast<bool>(run_); }
  void operator()(const std::string& command, const std::vector<std::string>& args,
                  std::optional<Credentials> as = std::nullopt) const {
    run_(command, args, as);
  }

 private:
  Function run_;
  FifoWriter fifo_;
};

struct VrrpCounters {
  std::uint64_t adverts_sent = 0;
  std::uint64_t adverts_received = 0;
  std::uint64_t adverts_rejected = 0;
  std::string last_rejection;
  std::uint64_t transitions = 0;     // state changes (keepalived's notify points)
  std::uint64_t become_master = 0;   // entered MASTER
  std::uint64_t release_master = 0;  // left MASTER
  std::uint64_t priority_zero_sent = 0;      // resigning (stop) adverts
  std::uint64_t priority_zero_received = 0;  // a master resigned
  std::optional<std::chrono::system_clock::time_point> last_transition;
};

class VrrpRunner {
 public:
  // Resolves the interface and primary address and opens the socket; nothing is sent yet.
  static Result<std::unique_ptr<VrrpRunner>> create(EventLoop& loop, netlink::RouteSocket& rtnl,
                                                    const config::Config& config,
                                                    const config::VrrpInstance& instance,
                                                    ScriptRunner run_script);
  ~VrrpRunner();

  // Removes VIPs a crashed earlier run left behind and enters BACKUP (or MASTER as owner), and
  // starts the tracked vrrp_scripts (the instance waits in INIT until each has reported once).
  void start();
  // Priority-0 advert when MASTER, VIPs removed, notify_stop. The instance stays silent after.
  void shutdown();
  void on_link(const std::string& ifname, bool up);
  // A reload changed only settings that apply in place (classify_vrrp_reload said `update`):
  // the state stays, the next advert carries the new priority and interval, notify scripts are
  // vetted again. Tracked scripts keep running as started (their commands did not change).
  // A changed VIP set (same family) applies too: VIP lines no longer configured leave the
  // interface in any state; a MASTER adds the new ones and sends gratuitous ARP / unsolicited NA
  // (as when it takes over); the adverts carry the new list.
  void update(const config::Config& config, const config::VrrpInstance& instance);
  // Out of any sync group (make_vrrp_groups calls it before building new groups).
  void leave_group() { group_ = nullptr; }

  const config::VrrpInstance& instance() const { return instance_; }
  const vrrp::StateMachine& machine() const { return machine_; }
  const VrrpCounters& counters() const { return counters_; }
  // Each tracked vrrp_script's last result (true: success), once it has reported.
  const std::map<std::string, bool>& script_results() const { return script_results_; }
  // Another master heard beside us while we are MASTER (a split brain), and since when (wall
  // clock, for status).
  const std::optional<vrrp::PeerMaster>& conflict() const { return split_brain_.current(); }
  std::chrono::system_clock::time_point conflict_since() const { return conflict_since_; }
  // Packets rejected (and adverts accepted with a warning) per reason, since start.
  const std::map<std::string, std::uint64_t>& rejections_by_reason() const {
    return packet_log_.totals();
  }

 private:
  friend class VrrpGroup;  // sync groups route this runner's steps through the coordinator
  VrrpRunner(EventLoop& loop, netlink::RouteSocket& rtnl, config::VrrpInstance instance,
             vrrp::InstanceConfig machine_config, std::shared_ptr<VrrpWire> wire, int ifindex,
             ScriptRunner run_script, std::vector<TrackedScriptRun> scripts,
             std::map<std::string, Credentials> notify_as,
             std::vector<config::VrrpTrackFile> files,
             std::vector<config::VrrpTrackProcess> processes);
  void on_packet(std::span<const std::uint8_t> packet, const vrrp::PacketContext& context);
  void on_script(const std::string& name, bool success);
  void on_file(const std::string& name, std::int64_t value);
  void on_process(const std::string& name, bool have_quorum);
  void on_timer();
  // Per-packet log lines go through packet_log_: the first of a reason in full, then a count.
  void log_packet(const std::string& reason, const std::string& source, const std::string& text);
  void log_packet_summaries();
  void log_summary(const LogRateLimiter::Line& line) const;
  void report(const vrrp::SplitBrainMonitor::Change& change);
  void perform(const vrrp::Step& step);
  void send_advert(std::uint8_t priority);
  void arm_timer(std::optional<vrrp::TimePoint> wake_at);
  void dispatch(vrrp::Step step);  // performs `step`, through the sync group when in one
  // Where VIPs without `dev` go: the instance's interface, or its vmac (use_vmac).
  const std::string& vip_interface() const { return vmac_ ? vmac_->name() : instance_.interface; }
  void set_vips(bool present);  // all of the instance's VIPs on or off, logged
  bool set_vip(const config::VirtualAddress& vip, bool present);  // true: the kernel changed
  void send_garp(unsigned count);
  void notify(vrrp::State state, const vrrp::Reason& why);
  void run(const config::ScriptCommand& script, const std::vector<std::string>& args);

  EventLoop& loop_;
  netlink::RouteSocket& rtnl_;
  config::VrrpInstance instance_;
  vrrp::StateMachine machine_;
  std::optional<VmacLink> vmac_;  // use_vmac; goes after the wire bound to it
  std::shared_ptr<VrrpWire> wire_;
  std::vector<IpAddress> destinations_;  // of wire_, in the order of adverts_ packets
  vrrp::AdvertPackets adverts_;
  int ifindex_ = 0;
  ScriptRunner run_script_;
  std::map<std::string, Credentials> notify_as_;  // by vetting_key(); others never run
  TimerId timer_ = 0;
  vrrp::TimePoint armed_at_{};  // of timer_
  VrrpCounters counters_;
  std::uint8_t logged_priority_ = 0;  // the effective priority last logged (0: never)
  std::map<std::string, bool> script_results_;
  std::optional<vrrp::State> notified_;  // the state of the last notify (transition counts)
  LogRateLimiter packet_log_;
  vrrp::SplitBrainMonitor split_brain_;
  std::chrono::system_clock::time_point conflict_since_{};
  vrrp::Expectation expectation_;
  bool stopped_ = false;
  VrrpGroup* group_ = nullptr;  // set by VrrpGroup
  std::size_t group_index_ = 0;
  VrrpScriptTracker scripts_;  // track_script: started by start(), stopped by shutdown()
  TrackFileWatcher files_;  // track_file: read by start(), watched until shutdown()
  TrackProcessWatcher processes_;  // track_process: counted from start() until shutdown()
  // virtual_ipaddress_excluded, virtual_routes, virtual_rules: in the kernel with the VIPs.
  NetworkSet with_vips_;
};

}  // namespace lvsctl::director
