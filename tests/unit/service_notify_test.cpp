// The STATUS= line systemd shows for the director: instances in config order, then live real
// servers; and ServiceNotify's calls do nothing (no error, no crash) without NOTIFY_SOCKET.
#include <gtest/gtest.h>

#include <cstdlib>

#include "director/daemon/service_notify.hpp"

namespace lvsctl::director {
namespace {

TEST(ServiceStatusLine, InstancesInOrderThenRealServers) {
  EXPECT_EQ(service_status_line({{"VI_1", "MASTER"}, {"VI_2", "BACKUP"}}, 4, 4),
            "VI_1 MASTER, VI_2 BACKUP; 4/4 real servers up");
  EXPECT_EQ(service_status_line({{"VI_1", "FAULT"}}, 1, 3), "VI_1 FAULT; 1/3 real servers up");
}

TEST(ServiceStatusLine, NoInstance) {
  EXPECT_EQ(service_status_line({}, 0, 2), "no VRRP instance; 0/2 real servers up");
}

TEST(ServiceNotify, WithoutNotifySocketDoesNothing) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(ServiceNotify::wanted());
  ServiceNotify notify;
  notify.ready();
  notify.reloading();
  notify.status("VI_1 MASTER; 0/0 real servers up");
  notify.stopping();
  ::setenv("NOTIFY_SOCKET", "", 1);
  EXPECT_FALSE(ServiceNotify::wanted());
  ::setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
  EXPECT_TRUE(ServiceNotify::wanted());
  ::unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace lvsctl::director
