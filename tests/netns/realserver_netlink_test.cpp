// shared/netlink (rtnetlink addresses) and shared/sysctl on the real kernel, inside a network
// namespace this test process unshares for itself (root only). The root namespace's values are
// recorded first and compared after switching back.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "shared/fd.hpp"
#include "shared/netlink/interface_address.hpp"
#include "shared/sysctl.hpp"

namespace lvsctl::netlink {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

void set_up(const char* ifname) {
  Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(s.valid());
  ifreq ifr{};
  std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  ASSERT_EQ(::ioctl(s.get(), SIOCGIFFLAGS, &ifr), 0);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ASSERT_EQ(::ioctl(s.get(), SIOCSIFFLAGS, &ifr), 0);
}

class RealserverNetlink : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "netns tests need root";
    root_arp_ignore_ = *sysctl::read("net.ipv4.conf.all.arp_ignore");
    root_ns_ = Fd(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(root_ns_.valid());
    ASSERT_EQ(::unshare(CLONE_NEWNET), 0) << "unshare(CLONE_NEWNET) failed";
    set_up("lo");
    auto sock = RouteSocket::open();
    ASSERT_TRUE(sock) << sock.error().message;
    sock_.emplace(std::move(*sock));
    auto lo = interface_index("lo");
    ASSERT_TRUE(lo);
    lo_ = *lo;
  }
  void TearDown() override {
    sock_.reset();
    if (root_ns_.valid()) {
      ASSERT_EQ(::setns(root_ns_.get(), CLONE_NEWNET), 0);
      EXPECT_EQ(*sysctl::read("net.ipv4.conf.all.arp_ignore"), root_arp_ignore_)
          << "the root namespace's sysctl changed";
    }
  }
  std::vector<InterfaceAddress> on(int ifindex) {
    auto list = list_addresses(*sock_, ifindex);
    EXPECT_TRUE(list) << list.error().message;
    return list ? *list : std::vector<InterfaceAddress>{};
  }
  const InterfaceAddress* find(const std::vector<InterfaceAddress>& list, const IpAddress& a) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.address == a; });
    return it == list.end() ? nullptr : &*it;
  }

  Fd root_ns_;
  std::string root_arp_ignore_;
  std::optional<RouteSocket> sock_;
  int lo_ = 0;
};

TEST_F(RealserverNetlink, Ipv4WithLabelOnLo) {
  const InterfaceAddress vip{lo_, ip("203.0.113.10"), 32, "lo:0"};
  ASSERT_TRUE(add_address(*sock_, vip));
  auto list = on(lo_);
  const auto* got = find(list, vip.address);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, vip);
  ASSERT_NE(find(list, ip("127.0.0.1")), nullptr);
  EXPECT_EQ(find(list, ip("127.0.0.1"))->label, "lo");

  const auto again = add_address(*sock_, vip);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, EEXIST);
  EXPECT_NE(again.error().message.find("203.0.113.10/32"), std::string::npos);

  ASSERT_TRUE(delete_address(*sock_, vip));
  EXPECT_EQ(find(on(lo_), vip.address), nullptr);
  const auto gone = delete_address(*sock_, vip);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, EADDRNOTAVAIL);
}

TEST_F(RealserverNetlink, Ipv6OnLoIgnoresLabel) {
  const InterfaceAddress vip{lo_, ip("2001:db8::10"), 128, "lo:6"};
  ASSERT_TRUE(add_address(*sock_, vip));
  const auto list = on(lo_);
  const auto* got = find(list, vip.address);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->prefix_len, 128);
  EXPECT_EQ(got->label, "");
  ASSERT_TRUE(delete_address(*sock_, vip));
  EXPECT_EQ(find(on(lo_), vip.address), nullptr);
}

TEST_F(RealserverNetlink, VipsOnAnotherInterfaceAsVrrpWould) {
  // A veth (this kernel has no dummy links); its peer stays down in the same namespace.
  ASSERT_EQ(std::system("ip link add d0 type veth peer name d1"), 0);
  set_up("d0");
  auto d0 = interface_index("d0");
  ASSERT_TRUE(d0);
  const InterfaceAddress v4{*d0, ip("198.51.100.1"), 24, "d0:vip"};
  const InterfaceAddress v6{*d0, ip("2001:db8:5::1"), 64, ""};
  ASSERT_TRUE(add_address(*sock_, v4));
  ASSERT_TRUE(add_address(*sock_, v6));
  auto list = on(*d0);
  ASSERT_NE(find(list, v4.address), nullptr);
  EXPECT_EQ(*find(list, v4.address), v4);
  ASSERT_NE(find(list, v6.address), nullptr);
  EXPECT_EQ(find(list, v6.address)->prefix_len, 64);
  EXPECT_EQ(find(on(lo_), v4.address), nullptr) << "listing by ifindex leaked another interface";
  EXPECT_NE(find(on(0), v4.address), nullptr) << "ifindex 0 must list every interface";
  ASSERT_TRUE(delete_address(*sock_, v4));
  ASSERT_TRUE(delete_address(*sock_, v6));
}

TEST_F(RealserverNetlink, BadInputs) {
  const auto none = interface_index("nonexistent0");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ENODEV);
  EXPECT_NE(none.error().message.find("nonexistent0"), std::string::npos);
  const auto long_label = add_address(*sock_, {lo_, ip("203.0.113.11"), 32, "lo:0123456789abc"});
  ASSERT_FALSE(long_label);
  EXPECT_EQ(long_label.error().code, EINVAL);
  const auto bad_index = add_address(*sock_, {999999, ip("203.0.113.11"), 32, ""});
  ASSERT_FALSE(bad_index);
  EXPECT_EQ(bad_index.error().code, ENODEV);
}

TEST_F(RealserverNetlink, RouteSocketMoves) {
  RouteSocket moved = std::move(*sock_);
  EXPECT_EQ(sock_->get(), nullptr);
  ASSERT_NE(moved.get(), nullptr);
  auto list = list_addresses(moved, lo_);
  ASSERT_TRUE(list);
  EXPECT_NE(find(*list, ip("127.0.0.1")), nullptr);
}

TEST_F(RealserverNetlink, SysctlWritesAreThisNamespacesOnly) {
  ASSERT_TRUE(sysctl::write("net.ipv4.conf.all.arp_ignore", "1"));
  EXPECT_EQ(*sysctl::read("net.ipv4.conf.all.arp_ignore"), "1");
  const auto bad = sysctl::write("net.ipv4.conf.all.arp_ignore", "not-a-number");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, EINVAL);
  // TearDown switches back and checks the root namespace's value is what it was.
}

}  // namespace
}  // namespace lvsctl::netlink
