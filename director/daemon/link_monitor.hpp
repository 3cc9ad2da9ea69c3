#pragma once
// LinkMonitor: reports interface link changes (up and running, or not) from rtnetlink's link
// multicast group, so VRRP instances can go to FAULT when their interface goes down.
#include <functional>
#include <string>

#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

class LinkMonitor {
 public:
  using Callback = std::function<void(const std::string& ifname, bool up)>;

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
