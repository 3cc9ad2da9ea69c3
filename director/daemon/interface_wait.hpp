#pragma once
// InterfaceWait: VRRP instances whose interface does not exist yet, or has no address to send
// adverts from (keepalived's dynamic_interfaces). Such an instance does not stop the daemon: it
// waits in FAULT (logged once) and starts when its interface is up — on the link event, or at
// the latest a second later (an address can arrive after the link). The daemon owns the runners;
// this only remembers who waits and says when to try again.
//
// Usage per start attempt: begin(); add() for each instance that must wait; end() forgets those
// no longer waiting (started, or gone from the configuration).
#include <functional>
#include <map>
#include <set>
#include <string>

#include "shared/event_loop.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

class InterfaceWait {
 public:
  // `retry` is called (on the loop) when an interface someone waits for is up.
  InterfaceWait(EventLoop& loop, std::function<void()> retry);
  ~InterfaceWait();
  InterfaceWait(const InterfaceWait&) = delete;
  InterfaceWait& operator=(const InterfaceWait&) = delete;

  // A VrrpRunner::create error that means "wait": no such interface (ENODEV) or no address on it
  // yet (EADDRNOTAVAIL).
  static bool waits_for(const Error& error);

  void begin();
  // Logs "Entering FAULT STATE" with `why` the first time `instance` waits.
  void add(const std::string& instance, const std::string& ifname, const std::string& why);
  void end();

  // A link event: an interface someone waits for is up -> retry now.
  void on_link(const std::string& ifname, bool up);

  const std::map<std::string, std::string>& instances() const { return waiting_; }  // -> ifname

 private:
  void arm();
  void check();

  EventLoop& loop_;
  std::function<void()> retry_;
  std::map<std::string, std::string> waiting_;
  std::set<std::string> seen_;  // added since begin()
  TimerId timer_ = 0;
};

}  // namespace lvsctl::director
