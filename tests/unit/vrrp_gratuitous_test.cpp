// Gratuitous ARP and unsolicited NA frames, byte for byte against keepalived 2.2.7's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "director/vrrp/gratuitous.hpp"
#include "tests/unit/vrrp_pcap.hpp"

namespace lvsctl::director::vrrp {
namespace {

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

TEST(VrrpGratuitous, ArpMatchesKeepalivedsCapturedFrames) {
  int checked = 0;
  for (const char* file : {"vrrp_v2.pcap", "vrrp_v3.pcap"}) {
    for (const auto& frame : test::read_pcap(std::string(LVSCTL_TESTDATA_DIR) + "/vrrp/" + file)) {
      if (frame.ethertype() != 0x0806) continue;
      Mac mac;
      std::copy_n(frame.bytes.begin() + 6, 6, mac.begin());  // the sender's MAC
      EXPECT_EQ(gratuitous_arp_frame(mac, ip("203.0.113.100")), frame.bytes) << file;
      ++checked;
    }
  }
  EXPECT_GE(checked, 4);
}

TEST(VrrpGratuitous, UnsolicitedNaMatchesKeepalived) {
  // keepalived 2.2.7, VIP 2001:db8::100 on an interface with MAC ba:b5:e6:f2:d6:df (tcpdump -XX).
  const std::vector<uint8_t> want = {
      0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0xba, 0xb5, 0xe6, 0xf2, 0xd6, 0xdf, 0x86, 0xdd, 0x60,
      0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00, 0x80, 0xa5, 0x20, 0x00,
      0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x01, 0x00, 0x02, 0x01, 0xba, 0xb5, 0xe6, 0xf2, 0xd6, 0xdf};
  const Mac mac = {0xba, 0xb5, 0xe6, 0xf2, 0xd6, 0xdf};
  EXPECT_EQ(unsolicited_na_frame(mac, ip("2001:db8::100")), want);
}

TEST(VrrpGratuitous, WrongFamilyGivesNoFrame) {
  const Mac mac{};
  EXPECT_TRUE(gratuitous_arp_frame(mac, ip("2001:db8::1")).empty());
  EXPECT_TRUE(unsolicited_na_frame(mac, ip("203.0.113.1")).empty());
  const auto router = unsolicited_na_frame(mac, ip("2001:db8::1"), true);
  ASSERT_EQ(router.size(), 86u);
  EXPECT_EQ(router[58], 0xa0);  // R and O
}

}  // namespace
}  // namespace lvsctl::director::vrrp
