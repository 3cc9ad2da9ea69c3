// PING_CHECK's pure parts: the ICMP / ICMPv6 echo codec (request, reply, quoted request), the
// keywords and defaults read from a config, and its retry semantics (retried while up only).
#include <gtest/gtest.h>

#include "director/check/checker_state.hpp"
#include "director/check/from_config.hpp"
#include "director/check/icmp_echo.hpp"
#include "director/config/load.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

const EchoMessage kRequest{0x1234, 0x0102, bytes({0xde, 0xad, 0xbe, 0xef, 0x01})};

// The request turned into the reply a host sends: type 0 (129), checksum recomputed (v4).
std::vector<std::uint8_t> reply_of(IcmpFamily f, std::vector<std::uint8_t> m) {
  m[0] = f == IcmpFamily::V4 ? 0 : 129;
  m[2] = m[3] = 0;
  if (f == IcmpFamily::V4) {
    const std::uint16_t sum = internet_checksum(m);
    m[2] = static_cast<std::uint8_t>(sum >> 8);
    m[3] = static_cast<std::uint8_t>(sum);
  }
  return m;
}

TEST(IcmpEcho, RequestV4IsChecksummed) {
  const auto m = encode_echo_request(IcmpFamily::V4, kRequest);
  EXPECT_EQ(m, bytes({8, 0, 0x46, 0x2c, 0x12, 0x34, 0x01, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01}));
  EXPECT_EQ(internet_checksum(m), 0);  // odd length: the last octet padded with zero
}

TEST(IcmpEcho, RequestV6LeavesTheChecksumToTheKernel) {
  const auto m = encode_echo_request(IcmpFamily::V6, kRequest);
  EXPECT_EQ(m, bytes({128, 0, 0, 0, 0x12, 0x34, 0x01, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01}));
}

TEST(IcmpEcho, ReplyDecodedAndMatched) {
  for (IcmpFamily f : {IcmpFamily::V4, IcmpFamily::V6}) {
    const auto reply = decode_echo_reply(f, reply_of(f, encode_echo_request(f, kRequest)));
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(*reply, kRequest);
    EXPECT_TRUE(answers(*reply, kRequest));
    EchoMessage other = kRequest;
    other.id = 0x4321;  // a ping socket's reply carries the socket's id: the caller names it
    EXPECT_FALSE(answers(*reply, other));
    other = kRequest;
    other.sequence = 3;
    EXPECT_FALSE(answers(*reply, other));
    other = kRequest;
    other.data.back() = 2;
    EXPECT_FALSE(answers(*reply, other));
  }
}

TEST(IcmpEcho, NotAReplyIsRefused) {
  const auto request = encode_echo_request(IcmpFamily::V4, kRequest);
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, request));  // an echo request
  auto bad_sum = reply_of(IcmpFamily::V4, request);
  bad_sum[9] ^= 1;
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, bad_sum));
  auto code = reply_of(IcmpFamily::V6, request);
  code[1] = 1;
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V6, code));
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, bytes({0, 0, 0xff, 0xff, 0, 0, 0})));  // short
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V6, {}));
  // An ICMPv4 reply is not an ICMPv6 one (type 0 vs 129).
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V6, reply_of(IcmpFamily::V4, request)));
}

TEST(IcmpEcho, RawIpv4PacketHeaderSkipped) {
  const auto icmp = reply_of(IcmpFamily::V4, encode_echo_request(IcmpFamily::V4, kRequest));
  std::vector<std::uint8_t> packet = {0x46, 0, 0, 0, 0, 0, 0x40, 0, 64, 1 /* ICMP */, 0, 0,
                                      203,  0, 113, 101, 203, 0, 113, 104, 1, 1, 1, 1};  // 24-byte header
  packet.insert(packet.end(), icmp.begin(), icmp.end());
  packet[3] = static_cast<std::uint8_t>(packet.size());
  auto reply = decode_echo_reply(IcmpFamily::V4, packet, true);
  ASSERT_TRUE(reply.has_value());
  EXPECT_TRUE(answers(*reply, kRequest));
  auto trailing = packet;  // padding after the total length is not data
  trailing.push_back(0);
  EXPECT_TRUE(decode_echo_reply(IcmpFamily::V4, trailing, true).has_value());
  auto cut = packet;  // shorter than its total length
  cut.pop_back();
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, cut, true));
  auto udp = packet;
  udp[9] = 17;  // UDP
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, udp, true));
  auto fragment = packet;
  fragment[7] = 1;
  EXPECT_FALSE(decode_echo_reply(IcmpFamily::V4, fragment, true));
}

TEST(IcmpEcho, QuotedRequestOfAnError) {
  for (IcmpFamily f : {IcmpFamily::V4, IcmpFamily::V6}) {
    auto quoted = encode_echo_request(f, kRequest);
    quoted.resize(8);  // an error may quote only the header
    const auto q = decode_quoted_echo_request(f, quoted);
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->id, kRequest.id);
    EXPECT_EQ(q->sequence, kRequest.sequence);
    EXPECT_FALSE(decode_quoted_echo_request(f, reply_of(f, quoted)));
    quoted.pop_back();
    EXPECT_FALSE(decode_quoted_echo_request(f, quoted));
  }
}

class NoIncludes : public conf::SourceReader {
 public:
  Result<std::string> read(const std::string& path) override { return Error{"no file " + path}; }
  std::vector<std::string> glob(const std::string&) override { return {}; }
};

config::ParsedConfig parse(const std::string& checker_block, const std::string& rs = "203.0.113.101 80") {
  const std::string text = "virtual_server 203.0.113.100 80 {\n  delay_loop 2\n  lvs_method NAT\n"
                           "  protocol TCP\n  real_server " + rs + " {\n" +
                           checker_block + "\n  }\n}\n";
  NoIncludes reader;
  return config::parse_config(text, "ping.conf", reader);
}

std::string errors(const config::ParsedConfig& p) {
  std::string out;
  for (const auto& d : p.diags) {
    if (d.severity == conf::Severity::Error) out += conf::format(d) + "\n";
  }
  return out;
}

TEST(PingCheckConfig, KeywordsAndDefaults) {
  auto p = parse("    PING_CHECK {\n      connect_ip 203.0.113.111\n      connect_timeout 2\n"
                 "      bindto 203.0.113.104\n      retry 3\n      delay_before_retry 2\n    }");
  ASSERT_EQ(errors(p), "");
  const auto plan = check_plan(p.config);
  ASSERT_EQ(plan.servers.at(0).checkers.size(), 1U);
  const Checker& c = plan.servers[0].checkers[0];
  EXPECT_EQ(c.kind, CheckerKind::Ping);
  EXPECT_EQ(c.connect.ip.to_string(), "203.0.113.111");
  EXPECT_EQ(c.connect_timeout, 2s);
  EXPECT_EQ(c.bindto->to_string(), "203.0.113.104");
  EXPECT_EQ(c.retry, 3U);
  EXPECT_EQ(c.delay_before_retry, 2s);
  EXPECT_TRUE(std::holds_alternative<config::PingCheck>(c.spec));

  // Only connect_ip: pinged over IPv6 for an IPv4 real server.
  auto bare = parse("    PING_CHECK {\n      connect_ip 2001:db8::101\n    }");
  ASSERT_EQ(errors(bare), "");
  const auto bare_plan = check_plan(bare.config);
  const Checker& d = bare_plan.servers.at(0).checkers.at(0);
  EXPECT_EQ(d.connect.ip.to_string(), "2001:db8::101");
  EXPECT_EQ(d.retry, 1U);
  EXPECT_EQ(d.delay_before_retry, 1s);
  EXPECT_EQ(d.connect_timeout, 5s);
  EXPECT_EQ(d.delay_loop, 2s);
  EXPECT_EQ(config::checker_defaults(CheckerKind::Ping).retry_style, config::RetryStyle::WhileUp);
}

TEST(PingCheckConfig, UnknownKeywordsAreErrorsWithTheirPlace) {
  const auto e = errors(parse("    PING_CHECK {\n      payload 01\n    }"));
  EXPECT_NE(e.find("ping.conf:7:7"), std::string::npos) << e;
}

// keepalived check_ping.c's icmp_epilog: failures are retried while up; a down checker is
// probed once per delay_loop and comes back at its first success.
TEST(PingCheckState, RetriedWhileUpOnly) {
  Checker c = default_checker(CheckerKind::Ping);
  c.retry = 2;
  c.delay_loop = 5s;
  c.delay_before_retry = 1s;
  CheckerState s(c, CheckerStart::Reload);
  const ProbeResult down = ProbeResult::down("no echo reply within 1 s");
  std::vector<long> ms;
  for (int i = 0; i < 5; ++i) {
    ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(s.record(down).next_delay).count());
  }
  EXPECT_EQ(ms, (std::vector<long>{1000, 1000, 5000, 5000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(ProbeResult::up("echo reply (ping socket)"));
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

}  // namespace
}  // namespace lvsctl::director::check
