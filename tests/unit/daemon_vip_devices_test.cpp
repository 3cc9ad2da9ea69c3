// Which interface a VIP's gratuitous ARP / unsolicited NA leaves from: keepalived sends it on
// the VIP's own device (`dev X` in virtual_ipaddress), not on the instance's interface.
#include <gtest/gtest.h>

#include "director/daemon/vip_devices.hpp"

namespace lvsctl::director {
namespace {

config::VirtualAddress vip(const char* prefix, const char* dev = "") {
  config::VirtualAddress v;
  v.prefix = *config::IpPrefix::parse(prefix);
  v.dev = dev;
  return v;
}

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

TEST(VipDevices, VipWithoutDevUsesTheDefaultDevice) {
  EXPECT_EQ(vip_device(vip("192.0.2.10/24"), "eth0"), "eth0");
  EXPECT_EQ(vip_device(vip("192.0.2.10/24", "eth1"), "eth0"), "eth1");
}

TEST(VipDevices, GratuitousGoesOutOfEachVipsOwnDevice) {
  const std::vector<config::VirtualAddress> vips = {
      vip("192.0.2.10/24"), vip("198.51.100.10/24", "eth1"), vip("192.0.2.11/24"),
      vip("2001:db8::10/64", "eth1")};
  const auto batches = gratuitous_batches(vips, "eth0");
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].ifname, "eth0");
  EXPECT_EQ(batches[0].vips, (std::vector<IpAddress>{ip("192.0.2.10"), ip("192.0.2.11")}));
  EXPECT_EQ(batches[1].ifname, "eth1");
  EXPECT_EQ(batches[1].vips, (std::vector<IpAddress>{ip("198.51.100.10"), ip("2001:db8::10")}));
}

TEST(VipDevices, VmacIsTheDefaultDeviceWhenGiven) {
  const auto batches = gratuitous_batches({vip("192.0.2.10/24"), vip("198.51.100.1/24", "eth1")},
                                          "vrrp.51");
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].ifname, "vrrp.51");
  EXPECT_EQ(batches[1].ifname, "eth1");
}

TEST(VipDevices, NoVipsNoBatches) { EXPECT_TRUE(gratuitous_batches({}, "eth0").empty()); }

}  // namespace
}  // namespace lvsctl::director
