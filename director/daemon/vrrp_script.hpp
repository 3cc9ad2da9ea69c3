#pragma once
// VrrpScriptTracker: runs the vrrp_scripts an instance tracks (`track_script`), each every
// `interval`, as a child process on the event loop (argv split as keepalived does, no shell),
// and reports every result: success is exit status 0; a non-zero exit, a signal, or outliving
// `timeout` (the script's whole process group is then killed) is a failure.
// Debouncing (rise/fall) and weights belong to the state machine.
//
// A script still running when its next interval comes is not started twice: the next run
// starts once the running one has been reported. The first run of every script starts at
// start(). Each script runs as the user ScriptSecurity chose for it.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "director/config/model.hpp"
#include "director/vrrp/instance_config.hpp"
#include "shared/event_loop.hpp"
#include "shared/process.hpp"

namespace lvsctl::director {

// A vrrp_script and who it runs as.
struct TrackedScriptRun {
  config::VrrpScript config;
  Credentials as;
};

class VrrpScriptTracker {
 public:
  using Report = std::function<void(const std::string& name, bool success)>;

  VrrpScriptTracker(EventLoop& loop, std::vector<TrackedScriptRun> scripts, Report report);
  ~VrrpScriptTracker();
  VrrpScriptTracker(const VrrpScriptTracker&) = delete;
  VrrpScriptTracker& operator=(const VrrpScriptTracker&) = delete;

  void start();
  // Kills running scripts and stops scheduling; no report follows.
  void stop();
  std::size_t size() const { return scripts_.size(); }

 private:
  struct Script {
    config::VrrpScript config;
    Credentials as;
    std::optional<ChildProcess> child;
    TimerId next = 0;
    TimerId deadline = 0;
    bool timed_out = false;
  };
  void launch(Script& script);
  void finish(Script& script);
  void schedule(Script& script);
  void drop_child(Script& script);

  EventLoop& loop_;
  Report report_;
  std::vector<std::unique_ptr<Script>> scripts_;
  bool running_ = false;
};

// The vrrp_scripts `instance` tracks, in track_script order (unknown names skipped).
std::vector<config::VrrpScript> tracked_scripts(const config::Config& config,
                                                const config::VrrpInstance& instance);

// The scripts of an instance that may run (ScriptSecurity), with whom they run as.
struct InstanceScripts {
  std::vector<TrackedScriptRun> tracked;
  std::map<std::string, Credentials> notify;  // by vetting_key()
};
// Refused scripts are logged and left out, as keepalived disables them: a refused track_script
// is also taken out of `machine_config` (it no longer counts), a refused notify script never runs.
InstanceScripts vetted_scripts(const config::Config& config, const config::VrrpInstance& instance,
                               vrrp::InstanceConfig& machine_config);

}  // namespace lvsctl::director
