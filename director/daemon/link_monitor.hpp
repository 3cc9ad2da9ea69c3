#pragma once
// LinkMonitor: reports interface link changes (up and running, or not) from rtnetlink's link
// multicast group, so VRRP instances can go to FAULT when their interface goes down, and start
// again on a new interface of the same name when theirs was deleted.
#include <functional>
#include <string>

#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

// One RTM_NEWLINK / RTM_DELLINK.
struct LinkEvent {
  std::string ifname;
  int ifindex = 0;
  bool up = false;       // IFF_UP and IFF_RUNNING
  bool deleted = false;  // RTM_DELLINK
  // The interface `bound_ifindex` that something started on under this name is gone: deleted,
  // or the name now belongs to another index (created again; the deletion may have been missed).
  bool ends(int bound_ifindex) const {
    return deleted ? ifindex == bound_ifindex : ifindex != bound_ifindex;
  }
};

class LinkMonitor {
 public:
  using Callback = std::function<void(const LinkEvent& link)>;

  // Subscribes to RTNLGRP_LINK and watches the socket on `loop`.
  static Result<std::unique_ptr<LinkMonitor>> start(EventLoop& loop, Callback callback);
  ~LinkMonitor();

  // Current state of an interface (IFF_UP and IFF_RUNNING). False when it does not exist.
  static bool is_up(const std::string& ifname);

 private:
  LinkMonitor(EventLoop& loop, Fd fd, Callback callback)
      : loop_(loop), fd_(std::move(fd)), callback_(std::move(callback)) {}
  void on_readable();

  EventLoop& loop_;
  Fd fd_;
  Callback callback_;
};

}  // namespace lvsctl::director
