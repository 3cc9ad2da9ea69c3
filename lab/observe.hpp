#pragma once
// What the lab sees from outside: each director's VRRP state (its `director status` answer over
// the control socket) and what the client gets through the VIP.
#include <chrono>
#include <map>
#include <string>

#include "lab/state_dir.hpp"
#include "lab/topology.hpp"
#include "shared/result.hpp"

namespace lvsctl::lab {

// `director status` text of director `d`, or an error when it does not answer.
Result<std::string> director_status_text(const StateDir& dir, const Director& d);
// The state of the seed's instance (VIP_NSQ_100) in a status text: "MASTER", "BACKUP", ...;
// "" when absent. Pure.
std::string seed_instance_state(const std::string& status_text);
// True when the status text reports a second master (the daemon's split-brain monitor). Pure.
bool reports_conflict(const std::string& status_text);
// seed_instance_state of a live director; "down" when it does not answer.
std::string vrrp_state(const StateDir& dir, const Director& d);

// One request from the client to VIP:port: the real server's name, or the error.
Result<std::string> ask_vip(unsigned short port, std::chrono::milliseconds timeout);

struct Sample {
  std::map<std::string, unsigned> by_server;  // name -> answers
  unsigned failed = 0;
  std::string last_error;
  std::string text() const;  // "r1 3, r2 3" (+ ", failed 1")
};
Sample sample_vip(unsigned short port, unsigned requests, std::chrono::milliseconds timeout);

}  // namespace lvsctl::lab
