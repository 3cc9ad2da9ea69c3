#include "director/daemon/link_monitor.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

namespace lvsctl::director {

Result<std::unique_ptr<LinkMonitor>> LinkMonitor::start(EventLoop& loop, Callback callback) {
  Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return Error::from_errno("cannot open an rtnetlink socket for link events");
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = RTMGRP_LINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    return Error::from_errno("cannot subscribe to rtnetlink link events");
  }
  std::unique_ptr<LinkMonitor> monitor(new LinkMonitor(loop, std::move(fd), std::move(callback)));
  auto st = loop.watch(monitor->fd_.get(), io::kReadable,
                       [m = monitor.get()](uint32_t) { m->on_readable(); });
  if (!st) return st.error();
  return monitor;
}

LinkMonitor::~LinkMonitor() { loop_.unwatch(fd_.get()); }

bool LinkMonitor::is_up(const std::string& ifname) {
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd.get(), SIOCGIFFLAGS, &ifr) != 0) return false;
  const auto flags = static_cast<unsigned>(ifr.ifr_flags);
  return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

void LinkMonitor::on_readable() {
  alignas(nlmsghdr) char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n <= 0) return;
    auto len = static_cast<unsigned>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) continue;
      auto* ifi = static_cast<ifinfomsg*>(NLMSG_DATA(h));
      auto attr_len = static_cast<unsigned>(h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
      std::string name;
      for (auto* a = IFLA_RTA(ifi); RTA_OK(a, attr_len); a = RTA_NEXT(a, attr_len)) {
        if (a->rta_type == IFLA_IFNAME) name = static_cast<const char*>(RTA_DATA(a));
      }
      if (name.empty()) continue;
      LinkEvent link;
      link.ifname = std::move(name);
      link.ifindex = ifi->ifi_index;
      link.deleted = h->nlmsg_type == RTM_DELLINK;
      link.up = !link.deleted && (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
      callback_(link);
    }
  }
}

}  // namespace lvsctl::director
