#pragma once
// InstanceConfig: what one VRRP instance needs to run, as plain values. It is deliberately not the
// keepalived.conf model (director/config/): the daemon maps a `vrrp_instance` block onto this, so
// the state machine and the codec depend on nothing but these fields.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "director/vrrp/advert.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::director::vrrp {

// `track_interface { IF [weight W] }`. Weight 0: the interface going down puts the instance in
// FAULT. W > 0: the priority rises by W while it is up. W < 0: it falls by |W| while it is down.
struct TrackedInterface {
  std::string name;
  int weight = 0;
};

// `track_script { NAME [weight W] }` with the script's `rise`/`fall`. Weight 0: a failed script
// means FAULT. W > 0: +W while the script succeeds. W < 0: -|W| while it fails.
// `track_file { NAME [weight W] [reverse] }`: the file's integer moves the priority (see
// track_file_status in tracking.hpp).
struct TrackedFile {
  std::string name;
  int weight = 1;
  bool reverse = false;
};

// `track_process { NAME [weight W [reverse]] }`: whether the vrrp_track_process has quorum.
// Weight 0: FAULT without quorum (with reverse: with it). W > 0: +W (reverse: -W) with quorum.
// W < 0: +W (reverse: -W) without quorum (keepalived's).
struct TrackedProcess {
  std::string name;
  int weight = 0;
  bool reverse = false;
};

struct TrackedScript {
  std::string name;
  int weight = 0;
  int rise = 1;  // consecutive successes that make a failed script good
  int fall = 1;  // consecutive failures that make a good script failed
};

struct InstanceConfig {
  std::string name;       // vrrp_instance NAME, for notify and logs
  std::string interface;  // the instance's own interface: down means FAULT
  uint8_t vrid = 0;
  uint8_t version = 2;     // vrrp_version
  uint8_t priority = 100;  // 255 = address owner: master at once, tracking weights ignored
  std::chrono::milliseconds advert_interval{1000};  // v2: whole seconds; v3: centiseconds
  bool start_as_master = false;  // `state MASTER`: no effect on timing (non-owners start as BACKUP)
  bool nopreempt = false;
  std::chrono::milliseconds preempt_delay{0};
  AuthType auth_type = AuthType::none;  // v2
  std::string auth_pass;                // v2 PASS, first 8 bytes used
  IpAddress primary_address;            // our source address; breaks equal-priority ties
  std::vector<IpAddress> vips;          // virtual_ipaddress
  std::vector<TrackedInterface> track_interfaces;
  std::vector<TrackedScript> track_scripts;
  std::vector<TrackedFile> track_files;
  std::vector<TrackedProcess> track_processes;
  std::chrono::milliseconds garp_master_delay{5000};  // second GARP burst after takeover; 0 = none
  unsigned garp_master_repeat = 5;                    // GARPs per burst
  std::chrono::milliseconds garp_master_refresh{0};   // periodic GARP while master; 0 = off
  unsigned garp_master_refresh_repeat = 1;            // GARPs per refresh
  // A MASTER hearing a lower priority advert: garp_lower_prio_repeat GARPs at once and again
  // after garp_lower_prio_delay (0: no second burst); repeat 0: none at all.
  std::chrono::milliseconds garp_lower_prio_delay{5000};
  unsigned garp_lower_prio_repeat = 5;
};

// The advert interval as sent, in centiseconds: v2 whole seconds (1..255 s), v3 1..4095 cs.
uint16_t interval_cs(const InstanceConfig& config);

// What decode() should check peers' adverts against.
Expectation expectation_of(const InstanceConfig& config);

// Our advert with `priority` (our effective one, or 0 on shutdown), to the multicast group of the
// primary address's family, from the primary address.
Advert advert_of(const InstanceConfig& config, uint8_t priority);

}  // namespace lvsctl::director::vrrp
