#pragma once
// Plan, then apply: what start and stop must do, given the VIPs wanted, the saved state and the
// kernel as observed. Pure; the kernel adapter executes the steps in order.
//
// start: save the state first (so the prior sysctl values survive a crash), then the ARP
// sysctls, then remove VIPs we added earlier that are no longer wanted, then add the missing VIPs
// with labels lo:N. Nothing that is already right is touched: a second start has no steps.
// stop: remove the VIPs we added (only those still there), then restore the saved sysctls (only
// those that differ), then drop the state. No state means no steps.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "realserver/observation.hpp"
#include "realserver/state.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::realserver {

struct SaveState {
  State state;
};
struct RemoveState {};
struct WriteSysctl {
  std::string key;
  std::string value;
};
struct AddVip {
  IpAddress address;
  std::string label;  // "lo:N" for IPv4, empty for IPv6
};
struct RemoveVip {
  IpAddress address;
  std::uint8_t prefix_len = 0;
};
using Step = std::variant<SaveState, RemoveState, WriteSysctl, AddVip, RemoveVip>;

struct StartPlan {
  State state;              // the state after start (what SaveState writes)
  std::vector<Step> steps;  // empty when everything is already in place
};

// `vips` must be non-empty and free of duplicates (build_vip_list).
StartPlan plan_start(const std::vector<IpAddress>& vips, const std::optional<State>& previous,
                     const Observation& now);

std::vector<Step> plan_stop(const std::optional<State>& state, const Observation& now);

// One line for logs: "add 203.0.113.10/32 to lo as lo:0".
std::string describe(const Step& step);

}  // namespace lvsctl::realserver
