// The IPVS netlink attribute layout: encode with the codec, decode the same bytes back, and
// check the wire form of the fields the kernel is picky about (port and IPv4 netmask in network
// order, 16-byte addresses, flags struct with a full mask).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstring>

#include "director/ipvs/netlink_codec.hpp"

namespace ipvs = lvsctl::director::ipvs;
namespace codec = lvsctl::director::ipvs::codec;

namespace {

struct Msg {
  nl_msg* m;
  Msg() : m(nlmsg_alloc()) { genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, 42, 0, 0, IPVS_CMD_NEW_SERVICE, 1); }
  ~Msg() { nlmsg_free(m); }
  const nlmsghdr& hdr() const { return *nlmsg_hdr(m); }
  nlattr* top(int type) const {
    nlattr* tb[IPVS_CMD_ATTR_MAX + 1] = {};
    genlmsg_parse(nlmsg_hdr(m), 0, tb, IPVS_CMD_ATTR_MAX, nullptr);
    return tb[type];
  }
};

lvsctl::IpAddress addr(const char* t) { return *lvsctl::IpAddress::parse(t); }

}  // namespace

TEST(IpvsCodec, ServiceRoundTripsWithEverySetting) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Udp, addr("203.0.113.100"), 10020);
  s.scheduler = "sh";
  s.flags = ipvs::service_flag::persistent | ipvs::service_flag::sched1 | ipvs::service_flag::sched2;
  s.timeout = 50;
  s.netmask = 0xffffff00;
  s.persistence_engine = "sip";
  Msg msg;
  ASSERT_TRUE(codec::put_service(msg.m, s, true));
  auto back = codec::parse_service(msg.hdr());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->key, s.key);
  EXPECT_TRUE(back->same_settings(s));
  EXPECT_EQ(back->persistence_engine, "sip");

  nlattr* tb[IPVS_SVC_ATTR_MAX + 1] = {};
  ASSERT_EQ(nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, msg.top(IPVS_CMD_ATTR_SERVICE), nullptr), 0);
  EXPECT_EQ(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]), htons(10020));
  EXPECT_EQ(nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]), htonl(0xffffff00));
  EXPECT_EQ(nla_len(tb[IPVS_SVC_ATTR_ADDR]), 16);
  EXPECT_EQ(nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_UDP);
  ip_vs_flags flags{};
  ASSERT_EQ(nla_len(tb[IPVS_SVC_ATTR_FLAGS]), static_cast<int>(sizeof flags));
  std::memcpy(&flags, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof flags);
  EXPECT_EQ(flags.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2);
  EXPECT_EQ(flags.mask, ~0U);
}

TEST(IpvsCodec, KeyOnlyServiceCarriesNoSettings) {
  Msg msg;
  ASSERT_TRUE(codec::put_service_key(msg.m, ipvs::ServiceKey::mark(7)));
  nlattr* tb[IPVS_SVC_ATTR_MAX + 1] = {};
  ASSERT_EQ(nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, msg.top(IPVS_CMD_ATTR_SERVICE), nullptr), 0);
  EXPECT_EQ(nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]), 7u);
  EXPECT_EQ(nla_get_u16(tb[IPVS_SVC_ATTR_AF]), AF_INET);
  EXPECT_EQ(tb[IPVS_SVC_ATTR_SCHED_NAME], nullptr);
  EXPECT_EQ(tb[IPVS_SVC_ATTR_ADDR], nullptr);
  auto back = codec::parse_service(msg.hdr());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->key.is_fwmark());
  EXPECT_EQ(back->key.fwmark, 7u);
}

TEST(IpvsCodec, Ipv6ServiceNetmaskIsAPrefixLength) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, addr("2001:db8::10"), 443);
  s.flags = ipvs::service_flag::persistent;
  s.timeout = 300;
  Msg msg;
  ASSERT_TRUE(codec::put_service(msg.m, s, true));
  nlattr* tb[IPVS_SVC_ATTR_MAX + 1] = {};
  ASSERT_EQ(nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, msg.top(IPVS_CMD_ATTR_SERVICE), nullptr), 0);
  EXPECT_EQ(nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]), 128u);
  EXPECT_EQ(nla_get_u16(tb[IPVS_SVC_ATTR_AF]), AF_INET6);
  auto back = codec::parse_service(msg.hdr());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->key.address, addr("2001:db8::10"));
  EXPECT_EQ(back->effective_netmask(), 128u);
}

TEST(IpvsCodec, DestinationRoundTrips) {
  ipvs::Destination d;
  d.address = addr("198.51.100.2");
  d.port = 8080;
  d.forwarding = ipvs::Forwarding::Nat;
  d.weight = 7;
  d.upper_threshold = 1000;
  d.lower_threshold = 10;
  Msg msg;
  ASSERT_TRUE(codec::put_destination(msg.m, d, true));
  auto back = codec::parse_destination(msg.hdr(), lvsctl::AddressFamily::V4);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->same_settings(d));
  nlattr* tb[IPVS_DEST_ATTR_MAX + 1] = {};
  ASSERT_EQ(nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, msg.top(IPVS_CMD_ATTR_DEST), nullptr), 0);
  EXPECT_EQ(nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]), static_cast<std::uint32_t>(IP_VS_CONN_F_MASQ));
  EXPECT_EQ(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]), htons(8080));
}

TEST(IpvsCodec, DeleteDestinationCarriesOnlyTheEndpoint) {
  ipvs::Destination d;
  d.address = addr("2001:db8::2");
  d.port = 80;
  Msg msg;
  ASSERT_TRUE(codec::put_destination(msg.m, d, false));
  nlattr* tb[IPVS_DEST_ATTR_MAX + 1] = {};
  ASSERT_EQ(nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, msg.top(IPVS_CMD_ATTR_DEST), nullptr), 0);
  EXPECT_EQ(tb[IPVS_DEST_ATTR_WEIGHT], nullptr);
  EXPECT_EQ(nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET6);
}

TEST(IpvsCodec, ReplyWithoutServiceIsAnError) {
  Msg msg;
  auto s = codec::parse_service(msg.hdr());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPROTO);
}

TEST(IpvsCodec, TimeoutsCarryEachSetValueAsATopLevelU32) {
  Msg msg;
  ASSERT_TRUE(codec::put_timeouts(msg.m, ipvs::Timeouts{7200, 120, 300}));
  ASSERT_NE(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP), nullptr);
  ASSERT_NE(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN), nullptr);
  ASSERT_NE(msg.top(IPVS_CMD_ATTR_TIMEOUT_UDP), nullptr);
  EXPECT_EQ(nla_get_u32(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP)), 7200U);
  EXPECT_EQ(nla_get_u32(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN)), 120U);
  EXPECT_EQ(nla_get_u32(msg.top(IPVS_CMD_ATTR_TIMEOUT_UDP)), 300U);
  EXPECT_EQ(nla_len(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP)), 4);
  // Read back as a GET_CONFIG reply is read.
  EXPECT_EQ(codec::parse_u32_or_zero(msg.hdr(), IPVS_CMD_ATTR_TIMEOUT_UDP, IPVS_CMD_ATTR_MAX),
            300U);
}

TEST(IpvsCodec, TimeoutsLeaveOutTheZeroOnesSoTheKernelKeepsThem) {
  Msg msg;
  ASSERT_TRUE(codec::put_timeouts(msg.m, ipvs::Timeouts{0, 0, 45}));
  EXPECT_EQ(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP), nullptr);
  EXPECT_EQ(msg.top(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN), nullptr);
  ASSERT_NE(msg.top(IPVS_CMD_ATTR_TIMEOUT_UDP), nullptr);
  EXPECT_EQ(nla_get_u32(msg.top(IPVS_CMD_ATTR_TIMEOUT_UDP)), 45U);
  Msg none;
  const auto before = none.hdr().nlmsg_len;
  ASSERT_TRUE(codec::put_timeouts(none.m, ipvs::Timeouts{}));
  EXPECT_EQ(none.hdr().nlmsg_len, before);
}
