// UDP_CHECK's pure parts: keepalived's hex strings, the reply judgement, the keywords and
// defaults read from a config, and its retry semantics (retried while up only).
#include <gtest/gtest.h>

#include "director/check/checker_state.hpp"
#include "director/check/from_config.hpp"
#include "director/check/udp_reply.hpp"
#include "director/config/hex_bytes.hpp"
#include "director/config/load.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;
using config::HexBytes;
using config::parse_hex_bytes;

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

TEST(HexBytes, PairsBlanksAndLoneDigits) {
  EXPECT_EQ(parse_hex_bytes("0a1B2c", false), (HexBytes{bytes({0x0a, 0x1b, 0x2c}), {}}));
  EXPECT_EQ(parse_hex_bytes("  0a 1b\t2c ", false), (HexBytes{bytes({0x0a, 0x1b, 0x2c}), {}}));
  EXPECT_EQ(parse_hex_bytes("1 2 abc", false), (HexBytes{bytes({0x01, 0x02, 0xab, 0x0c}), {}}));
}

TEST(HexBytes, WildcardNibblesOnlyWhereAllowed) {
  EXPECT_EQ(parse_hex_bytes("4x x1 xx", true),
            (HexBytes{bytes({0x40, 0x01, 0x00}), bytes({0x0f, 0xf0, 0xff})}));
  EXPECT_FALSE(parse_hex_bytes("4x", false));
  EXPECT_FALSE(parse_hex_bytes("0g", true));
  EXPECT_FALSE(parse_hex_bytes("", false));
  EXPECT_FALSE(parse_hex_bytes("   ", false));
}

config::UdpCheck expecting(std::string_view hex, unsigned min = 0, unsigned max = 255) {
  config::UdpCheck u;
  u.require_reply = true;
  auto h = parse_hex_bytes(hex, true);
  u.reply = h->data;
  u.reply_mask = h->mask;
  u.min_reply_length = min;
  u.max_reply_length = max;
  return u;
}

TEST(UdpReply, PrefixMatchedOutsideWildcards) {
  const auto u = expecting("41 4x");
  EXPECT_TRUE(judge_udp_reply(u, bytes({0x41, 0x4f, 0x99})).success);
  EXPECT_TRUE(judge_udp_reply(u, bytes({0x41})).success);  // only as many octets as the reply has
  auto r = judge_udp_reply(u, bytes({0x41, 0x5f}));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.reason, "reply differs from require_reply at byte 2");
}

TEST(UdpReply, LengthBoundsApplyWithReplyData) {
  const auto u = expecting("41", 2, 3);
  EXPECT_FALSE(judge_udp_reply(u, bytes({0x41})).success);
  EXPECT_TRUE(judge_udp_reply(u, bytes({0x41, 0, 0})).success);
  auto r = judge_udp_reply(u, bytes({0x41, 0, 0, 0}));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.reason, "reply of 4 bytes not within 2-3");
  config::UdpCheck any;  // require_reply without data: any reply, as keepalived
  any.require_reply = true;
  any.max_reply_length = 1;
  EXPECT_TRUE(judge_udp_reply(any, bytes({1, 2, 3})).success);
}

class NoIncludes : public conf::SourceReader {
 public:
  Result<std::string> read(const std::string& path) override { return Error{"no file " + path}; }
  std::vector<std::string> glob(const std::string&) override { return {}; }
};

config::ParsedConfig parse(const std::string& checker_block) {
  const std::string text = "virtual_server 203.0.113.100 53 {\n  delay_loop 2\n  lvs_method NAT\n"
                           "  protocol UDP\n  real_server 203.0.113.101 5353 {\n" +
                           checker_block + "\n  }\n}\n";
  NoIncludes reader;
  return config::parse_config(text, "udp.conf", reader);
}

std::string errors(const config::ParsedConfig& p) {
  std::string out;
  for (const auto& d : p.diags) {
    if (d.severity == conf::Severity::Error) out += conf::format(d) + "\n";
  }
  return out;
}

TEST(UdpCheckConfig, KeywordsAndDefaults) {
  auto p = parse("    UDP_CHECK {\n      connect_timeout 2\n      payload 01 02ff\n"
                 "      require_reply 0x 02\n      min_reply_length 2\n      max_reply_length 40\n    }");
  ASSERT_EQ(errors(p), "");
  const auto plan = check_plan(p.config);
  ASSERT_EQ(plan.servers.at(0).checkers.size(), 1U);
  const Checker& c = plan.servers[0].checkers[0];
  EXPECT_EQ(c.kind, CheckerKind::Udp);
  EXPECT_EQ(to_string(c.connect), "203.0.113.101:5353");
  EXPECT_EQ(c.retry, 1U);
  EXPECT_EQ(c.delay_before_retry, 1s);
  EXPECT_EQ(c.delay_loop, 2s);
  const auto& u = std::get<config::UdpCheck>(c.spec);
  EXPECT_EQ(u.payload, bytes({0x01, 0x02, 0xff}));
  EXPECT_TRUE(u.require_reply);
  EXPECT_EQ(u.reply, bytes({0x00, 0x02}));
  EXPECT_EQ(u.reply_mask, bytes({0x0f, 0x00}));
  EXPECT_EQ(u.min_reply_length, 2U);
  EXPECT_EQ(u.max_reply_length, 40U);

  auto bare = parse("    UDP_CHECK {\n    }");
  ASSERT_EQ(errors(bare), "");
  const auto& d = std::get<config::UdpCheck>(check_plan(bare.config).servers.at(0).checkers.at(0).spec);
  EXPECT_TRUE(d.payload.empty());
  EXPECT_FALSE(d.require_reply);
  EXPECT_EQ(d.min_reply_length, 0U);
  EXPECT_EQ(d.max_reply_length, 255U);
}

TEST(UdpCheckConfig, BadValuesAreErrorsWithTheirPlace) {
  EXPECT_NE(errors(parse("    UDP_CHECK {\n      payload 0g\n    }")).find("udp.conf:7:15: error: 'payload' value '0g' is not a hex string"),
            std::string::npos)
      << errors(parse("    UDP_CHECK {\n      payload 0g\n    }"));
  EXPECT_NE(errors(parse("    UDP_CHECK {\n      require_reply 41\n      min_reply_length 9\n"
                         "      max_reply_length 3\n    }"))
                .find("UDP_CHECK min_reply_length 9 > max_reply_length 3"),
            std::string::npos);
  EXPECT_NE(errors(parse("    UDP_CHECK {\n      max_reply_length 70000\n    }")), "");
}

// keepalived check_udp.c's epilog: failures are retried while up; a down checker is probed once
// per delay_loop and comes back at its first success.
TEST(UdpCheckState, RetriedWhileUpOnly) {
  Checker c = default_checker(CheckerKind::Udp);
  c.retry = 2;
  c.delay_loop = 5s;
  c.delay_before_retry = 1s;
  CheckerState s(c, CheckerStart::Reload);
  const ProbeResult down = ProbeResult::down("UDP to 203.0.113.101:53: Connection refused");
  std::vector<long> ms;
  for (int i = 0; i < 5; ++i) {
    ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(s.record(down).next_delay).count());
  }
  EXPECT_EQ(ms, (std::vector<long>{1000, 1000, 5000, 5000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(ProbeResult::up("reply"));
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

}  // namespace
}  // namespace lvsctl::director::check
