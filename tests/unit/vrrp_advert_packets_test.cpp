// AdvertPackets: adverts encoded once per priority and renumbered per send must be byte-identical
// to encoding each advert afresh (encode_ip_packet with the next IP id / encode for IPv6).
#include <gtest/gtest.h>

#include <chrono>

#include "director/vrrp/advert_packets.hpp"
#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

InstanceConfig v2_config() {
  InstanceConfig c;
  c.vrid = 100;
  c.version = 2;
  c.priority = 100;
  c.advert_interval = std::chrono::seconds(1);
  c.auth_type = AuthType::pass;
  c.auth_pass = "12345";
  c.primary_address = ip("203.0.113.104");
  c.vips = {ip("203.0.113.100"), ip("203.0.113.101")};
  return c;
}

std::vector<uint8_t> fresh(const InstanceConfig& c, uint8_t priority, const IpAddress& to,
                           uint16_t id) {
  Advert a = advert_of(c, priority);
  a.destination = to;
  return c.primary_address.is_v4() ? encode_ip_packet(a, id) : encode(a);
}

TEST(AdvertPackets, RenumberedIpv4PacketsEqualFreshEncodings) {
  const InstanceConfig c = v2_config();
  AdvertPackets packets(c, {vrrp_group_v4()});
  for (uint16_t id = 1; id <= 300; ++id) {
    const uint8_t priority = id < 150 ? 100 : (id < 200 ? 0 : 100);
    const auto& p = packets.packets(priority);
    ASSERT_EQ(p.size(), 1u);
    ASSERT_EQ(p[0], fresh(c, priority, vrrp_group_v4(), id)) << "id " << id;
  }
}

TEST(AdvertPackets, OnePacketPerUnicastPeer) {
  InstanceConfig c = v2_config();
  c.version = 3;
  c.advert_interval = std::chrono::milliseconds(100);
  const std::vector<IpAddress> peers{ip("203.0.113.105"), ip("203.0.113.106")};
  AdvertPackets packets(c, peers);
  const auto& p = packets.packets(50);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], fresh(c, 50, peers[0], 1));
  EXPECT_EQ(p[1], fresh(c, 50, peers[1], 1));
}

TEST(AdvertPackets, Ipv6MessagesAreBareAndReencodedOnPriorityChange) {
  InstanceConfig c = v2_config();
  c.version = 3;
  c.primary_address = ip("fe80::1");
  c.vips = {ip("2001:db8::100")};
  AdvertPackets packets(c, {vrrp_group_v6()});
  EXPECT_EQ(packets.packets(100)[0], fresh(c, 100, vrrp_group_v6(), 0));
  EXPECT_EQ(packets.packets(100)[0], fresh(c, 100, vrrp_group_v6(), 0));
  EXPECT_EQ(packets.packets(0)[0], fresh(c, 0, vrrp_group_v6(), 0));
}

}  // namespace
}  // namespace lvsctl::director::vrrp
