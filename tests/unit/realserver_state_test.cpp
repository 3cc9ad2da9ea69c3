// The state file format: serialize/parse round trip and rejection of damaged files.
#include <gtest/gtest.h>

#include "realserver/state.hpp"

namespace lvsctl::realserver {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

State sample() {
  State s;
  s.saved_sysctls = {{"net.ipv4.conf.all.arp_ignore", "0"}, {"net.ipv4.conf.lo.arp_announce", "1"}};
  s.vips = {{ip("203.0.113.10"), "lo:0", true}, {ip("2001:db8::10"), "", false}};
  return s;
}

TEST(RealserverStateFile, RoundTrips) {
  const State s = sample();
  const std::string text = serialize_state(s);
  EXPECT_NE(text.find("lvsctl-realserver-state 1\n"), std::string::npos);
  EXPECT_NE(text.find("sysctl net.ipv4.conf.all.arp_ignore 0\n"), std::string::npos);
  EXPECT_NE(text.find("vip 203.0.113.10 lo:0 added\n"), std::string::npos);
  EXPECT_NE(text.find("vip 2001:db8::10 - found\n"), std::string::npos);
  const auto back = parse_state(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(RealserverStateFile, EmptyStateRoundTrips) {
  const auto back = parse_state(serialize_state(State{}));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, State{});
}

TEST(RealserverStateFile, Lookups) {
  const State s = sample();
  ASSERT_NE(s.saved("net.ipv4.conf.lo.arp_announce"), nullptr);
  EXPECT_EQ(s.saved("net.ipv4.conf.lo.arp_announce")->value, "1");
  EXPECT_EQ(s.saved("net.ipv4.conf.lo.arp_ignore"), nullptr);
  ASSERT_NE(s.held(ip("203.0.113.10")), nullptr);
  EXPECT_TRUE(s.held(ip("203.0.113.10"))->added);
  EXPECT_EQ(s.held(ip("203.0.113.11")), nullptr);
  EXPECT_EQ(s.vip_addresses(), (std::vector<IpAddress>{ip("203.0.113.10"), ip("2001:db8::10")}));
}

void expect_rejected(const std::string& text, const std::string& fragment) {
  const auto r = parse_state(text);
  ASSERT_FALSE(r) << text;
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

TEST(RealserverStateFile, RejectsDamage) {
  expect_rejected("", "empty");
  expect_rejected("# only a comment\n", "empty");
  expect_rejected("sysctl a.b 1\n", "line 1: expected 'lvsctl-realserver-state 1'");
  expect_rejected("lvsctl-realserver-state 2\n", "unsupported state format '2'");
  expect_rejected("lvsctl-realserver-state 1\nsysctl a.b\n", "line 2: expected 'sysctl KEY VALUE'");
  expect_rejected("lvsctl-realserver-state 1\nsysctl a.b 1\nsysctl a.b 2\n", "line 3: sysctl a.b twice");
  expect_rejected("lvsctl-realserver-state 1\nvip 203.0.113.300 - added\n", "'203.0.113.300' is not");
  expect_rejected("lvsctl-realserver-state 1\nvip 203.0.113.3 - maybe\n", "'maybe'");
  expect_rejected("lvsctl-realserver-state 1\nvip 203.0.113.3 lo:0 added\nvip 203.0.113.3 lo:1 added\n",
                  "twice");
  expect_rejected("lvsctl-realserver-state 1\nroute x\n", "unknown record 'route'");
}

}  // namespace
}  // namespace lvsctl::realserver
