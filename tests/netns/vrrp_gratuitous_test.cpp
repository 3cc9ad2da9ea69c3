// send_gratuitous() on the real kernel: the test process moves into a network namespace of its
// own (unshare), makes a veth pair there, sends gratuitous ARPs and unsolicited NAs out of one
// end and reads them off the other with a packet socket.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "director/vrrp/gratuitous.hpp"
#include "director/vrrp/gratuitous_sender.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::vrrp {
namespace {

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

class VrrpGratuitousNetns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() != 0) {
      skip_ = "netns tests need root";
      return;
    }
    if (::unshare(CLONE_NEWNET) != 0) {
      skip_ = std::string("unshare(CLONE_NEWNET) failed: ") + std::strerror(errno);
      return;
    }
    // A fresh namespace: nothing outside it is touched.
    if (std::system("ip link add h5a type veth peer name h5b && ip link set h5a up && "
                    "ip link set h5b up") != 0) {
      skip_ = "cannot create a veth pair (ip / veth missing)";
    }
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }
  static std::string skip_;
};
std::string VrrpGratuitousNetns::skip_;

Mac mac_of(const char* ifname) {
  Fd fd(::socket(AF_INET, SOCK_DGRAM, 0));
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  EXPECT_EQ(::ioctl(fd.get(), SIOCGIFHWADDR, &ifr), 0);
  Mac mac;
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, 6);
  return mac;
}

// Every ARP frame and ICMPv6 Neighbour Advertisement arriving on `ifname` within `ms`.
std::vector<std::vector<uint8_t>> listen(int fd, int ms) {
  std::vector<std::vector<uint8_t>> frames;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return frames;
    std::vector<uint8_t> buf(2048);
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) return frames;
    buf.resize(static_cast<std::size_t>(n));
    const unsigned type = static_cast<unsigned>(buf[12] << 8 | buf[13]);
    const bool arp = type == ETH_P_ARP;
    const bool na = type == ETH_P_IPV6 && buf.size() > 54 && buf[20] == 58 && buf[54] == 136;
    if (arp || na) frames.push_back(buf);
  }
}

TEST_F(VrrpGratuitousNetns, ArpAndNaArriveOnThePeerByteForByte) {
  Fd rx(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
  ASSERT_TRUE(rx.valid()) << std::strerror(errno);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = static_cast<int>(if_nametoindex("h5b"));
  ASSERT_EQ(::bind(rx.get(), reinterpret_cast<sockaddr*>(&sll), sizeof sll), 0);

  const std::vector<IpAddress> vips = {ip("203.0.113.100"), ip("2001:db8::100")};
  const auto st = send_gratuitous("h5a", vips, 3);
  ASSERT_TRUE(st.ok()) << st.error().message;

  const auto frames = listen(rx.get(), 500);
  const Mac mac = mac_of("h5a");
  const auto arp = gratuitous_arp_frame(mac, vips[0]);
  const auto na = unsolicited_na_frame(mac, vips[1]);
  int arps = 0, nas = 0;
  for (const auto& f : frames) {
    if (f == arp) ++arps;
    if (f == na) ++nas;
  }
  EXPECT_EQ(arps, 3);
  EXPECT_EQ(nas, 3);
}

TEST_F(VrrpGratuitousNetns, UnknownInterfaceIsNamed) {
  const std::vector<IpAddress> vips = {ip("203.0.113.100")};
  const auto st = send_gratuitous("nosuch0", vips, 1);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("nosuch0"), std::string::npos);
}

}  // namespace
}  // namespace lvsctl::director::vrrp
