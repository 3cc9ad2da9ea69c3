#pragma once
// Tracking: the state of an instance's tracked interfaces and scripts, and what follows from it —
// FAULT or not, and the effective priority. Pure.
//
// Script debouncing follows keepalived: the first result decides at once; after that a good
// script turns failed after `fall` consecutive failures and a failed one good after `rise`
// consecutive successes. Until every script has reported once, the instance is `initialising`
// (keepalived keeps such an instance out of the election too).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "director/vrrp/instance_config.hpp"

namespace lvsctl::director::vrrp {

// keepalived's status of a tracked file holding `value`, for a tracker with `weight` and
// `reverse`: weight 0: a non-zero value (a zero one with reverse) is FAULT; otherwise
// value x weight (negated with reverse), at most 253. -254 (or less) means FAULT; any other
// status is added to the priority.
int track_file_status(std::int64_t value, int weight, bool reverse);
constexpr int kTrackFileFault = -254;

class Tracking {
 public:
  explicit Tracking(const InstanceConfig& config);

  // Record an interface's link state. Unknown names are ignored (returns false).
  bool set_interface(std::string_view name, bool up);
  // Record a tracked file's value (read at start and on each change). Returns true when the
  // file's status changed.
  bool set_file_value(std::string_view name, std::int64_t value);
  // Record whether a tracked process has quorum (the first report makes it known). Returns true
  // when that changed.
  bool set_process_quorum(std::string_view name, bool have_quorum);
  // Record one script run. Returns true when the script's debounced state changed.
  bool add_script_result(std::string_view name, bool success);
  // A reload changed base priority or weights: takes them from `config`, keeping every link
  // state and script result recorded so far (matched by name; new names start unknown / up).
  void retune(const InstanceConfig& config);

  bool initialising() const;  // some script or tracked process has not reported yet
  bool fault() const;         // own interface down, or a weight-0 interface/script failed
  // What fault() found first: a down interface of weight 0, or a failed weight-0 script; null
  // when there is none. Valid until the next change.
  const std::string* failed_interface() const;
  const std::string* failed_script() const;
  const std::string* failed_process() const;  // a process whose quorum verdict means FAULT
  // Base priority plus weights, clamped to 1..254; 255 (owner) is never changed by weights.
  uint8_t effective_priority() const;

 private:
  struct Interface {
    std::string name;
    int weight;
    bool up = true;
  };
  struct Script {
    TrackedScript config;
    bool known = false;
    bool good = false;
    int counter = 0;  // keepalived's 0 .. rise+fall-1; good when >= rise
  };
  struct File {
    TrackedFile config;
    std::int64_t value = 0;
    int status = 0;
  };
  struct Process {
    TrackedProcess config;
    bool known = false;
    bool have_quorum = false;
    bool faults() const { return known && config.weight == 0 && have_quorum == config.reverse; }
    int status() const;  // what it adds to the priority
  };
  uint8_t base_priority_;
  std::vector<Process> processes_;
  std::vector<File> files_;
  std::vector<Interface> interfaces_;  // [0] is the instance's own interface (weight 0)
  std::vector<Script> scripts_;
};

}  // namespace lvsctl::director::vrrp
