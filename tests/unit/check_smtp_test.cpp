// SMTP_CHECK's pure parts: the reply parser (multi-line, bounded), the conversation and its
// verdicts, the keywords, defaults and deprecated host blocks read from a config, and its retry
// semantics (keepalived 2.2.7's smtp_final: every failure retried, also while down).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "director/check/checker_state.hpp"
#include "director/check/from_config.hpp"
#include "director/check/probe.hpp"
#include "director/check/smtp_dialogue.hpp"
#include "director/check/smtp_reply.hpp"
#include "director/config/load.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;
using Status = SmtpReply::Status;
using Kind = SmtpDialogue::Step::Kind;

TEST(SmtpReply, OneLineWithAndWithoutText) {
  auto r = parse_smtp_reply("220 mx.example.test ESMTP\r\n");
  ASSERT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.code, 220);
  EXPECT_EQ(r.text, "mx.example.test ESMTP");
  EXPECT_EQ(r.size, 27U);
  r = parse_smtp_reply("250\r\nextra");
  ASSERT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.code, 250);
  EXPECT_EQ(r.size, 5U);
  EXPECT_EQ(parse_smtp_reply("220 bare LF\n").status, Status::Complete);
}

TEST(SmtpReply, MultiLineEndsAtTheSpaceLine) {
  EXPECT_EQ(parse_smtp_reply("220-first\r\n220-second\r\n").status, Status::Incomplete);
  auto r = parse_smtp_reply("220-first\r\n220-second\r\n220 last\r\n");
  ASSERT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.code, 220);
  EXPECT_EQ(r.text, "last");
  r = parse_smtp_reply("220-first\r\n554 no\r\n");
  EXPECT_EQ(r.status, Status::Malformed);
  EXPECT_EQ(r.text, "reply code 554 within a 220 reply");
}

TEST(SmtpReply, IncompleteUntilLineFeed) {
  EXPECT_EQ(parse_smtp_reply("").status, Status::Incomplete);
  EXPECT_EQ(parse_smtp_reply("22").status, Status::Incomplete);
  EXPECT_EQ(parse_smtp_reply("220 mx\r").status, Status::Incomplete);
}

TEST(SmtpReply, MalformedLines) {
  for (const char* bad : {"hello\r\n", "22\r\n", "2x0 a\r\n", "220x\r\n", "220\tmx\r\n", " 220 mx\r\n",
                          "\r\n"}) {
    EXPECT_EQ(parse_smtp_reply(bad).status, Status::Malformed) << bad;
  }
  EXPECT_EQ(parse_smtp_reply("hello\r\n").text, "not an SMTP reply line: 'hello'");
  EXPECT_EQ(parse_smtp_reply(std::string("2\x01\xff\r\n")).text, "not an SMTP reply line: '2?" "?'");
}

TEST(SmtpReply, BoundedLineAndReply) {
  const std::string endless(kMaxSmtpLine, 'a');
  auto r = parse_smtp_reply("220 " + endless);
  EXPECT_EQ(r.status, Status::Malformed);
  EXPECT_EQ(r.text, "reply line longer than 512 octets");
  EXPECT_EQ(parse_smtp_reply("220 " + std::string(kMaxSmtpLine, 'a') + "\r\n").status, Status::Malformed);
  EXPECT_EQ(parse_smtp_reply("220 " + std::string(kMaxSmtpLine - 6, 'a') + "\r\n").status, Status::Complete);
  std::string many;
  while (many.size() <= kMaxSmtpReply) many += "250-" + std::string(100, 'x') + "\r\n";
  r = parse_smtp_reply(many);
  EXPECT_EQ(r.status, Status::Malformed);
  EXPECT_EQ(r.text, "reply longer than 8192 octets");
}

// Feeds `server` in pieces of `chunk` octets; returns the steps that were not Wait.
std::vector<SmtpDialogue::Step> feed(SmtpDialogue& d, std::string_view server, std::size_t chunk) {
  std::vector<SmtpDialogue::Step> out;
  for (std::size_t i = 0; i < server.size(); i += chunk) {
    auto s = d.receive(server.substr(i, chunk));
    if (s.kind != Kind::Wait) out.push_back(std::move(s));
  }
  return out;
}

TEST(SmtpDialogue, KeepalivedsSequenceInAnySplit) {
  for (std::size_t chunk : {1UL, 3UL, 100UL}) {
    SmtpDialogue d("foo.bar.com");
    auto steps = feed(d, "220-mx ESMTP\r\n220 hi\r\n", chunk);
    ASSERT_EQ(steps.size(), 1U);
    EXPECT_EQ(steps[0].kind, Kind::Send);
    EXPECT_EQ(steps[0].text, "HELO foo.bar.com\r\n");
    EXPECT_EQ(d.awaited(), "HELO reply");
    steps = feed(d, "250 mx Hello foo.bar.com\r\n", chunk);
    ASSERT_EQ(steps.size(), 1U);
    EXPECT_EQ(steps[0].text, "QUIT\r\n");
    EXPECT_EQ(d.awaited(), "QUIT reply");
    steps = feed(d, "221 2.0.0 Bye\r\n", chunk);
    ASSERT_EQ(steps.size(), 1U);
    EXPECT_EQ(steps[0].kind, Kind::Up);
    EXPECT_EQ(d.phase(), SmtpDialogue::Phase::Done);
  }
}

TEST(SmtpDialogue, Verdicts) {
  SmtpDialogue banner("h");
  auto s = banner.receive("554 5.3.2 go away\r\n");
  EXPECT_EQ(s.kind, Kind::Down);
  EXPECT_EQ(s.text, "bad greeting banner: 554 5.3.2 go away");

  SmtpDialogue helo("h");
  helo.receive("220 ok\r\n");
  s = helo.receive("501 5.5.4 syntax\r\n");
  EXPECT_EQ(s.kind, Kind::Down);
  EXPECT_EQ(s.text, "bad HELO response: 501 5.5.4 syntax");

  SmtpDialogue junk("h");
  s = junk.receive("SSH-2.0-OpenSSH_9.2\r\n");
  EXPECT_EQ(s.kind, Kind::Down);
  EXPECT_EQ(s.text, "bad greeting banner: not an SMTP reply line: 'SSH-2.0-OpenSSH_9.2'");

  SmtpDialogue huge("h");
  s = huge.receive(std::string(600, 'x'));
  EXPECT_EQ(s.kind, Kind::Down);
  EXPECT_EQ(s.text, "bad greeting banner: reply line longer than 512 octets");

  SmtpDialogue closed("h");
  closed.receive("220 ok\r\n");
  EXPECT_EQ(closed.closed(), "connection closed before the HELO reply");

  // After QUIT any line will do, as keepalived reads it without looking; an endless one will not.
  SmtpDialogue quit("h");
  quit.receive("220 ok\r\n");
  quit.receive("250 ok\r\n");
  EXPECT_EQ(quit.receive("whatever\n").kind, Kind::Up);
  SmtpDialogue endless("h");
  endless.receive("220 ok\r\n");
  endless.receive("250 ok\r\n");
  EXPECT_EQ(endless.receive(std::string(kMaxSmtpLine, 'x')).kind, Kind::Down);
}

class NoIncludes : public conf::SourceReader {
 public:
  Result<std::string> read(const std::string& path) override { return Error{"no file " + path}; }
  std::vector<std::string> glob(const std::string&) override { return {}; }
};

config::ParsedConfig parse_text(const std::string& text) {
  NoIncludes reader;
  return config::parse_config(text, "smtp.conf", reader);
}
config::ParsedConfig parse(const std::string& checker_block) {
  return parse_text("virtual_server 203.0.113.100 25 {\n  delay_loop 2\n  lvs_method NAT\n"
                    "  protocol TCP\n  real_server 203.0.113.101 2525 {\n" +
                    checker_block + "\n  }\n}\n");
}
std::string diags(const config::ParsedConfig& p, conf::Severity severity) {
  std::string out;
  for (const auto& d : p.diags) {
    if (d.severity == severity) out += conf::format(d) + "\n";
  }
  return out;
}
std::string errors(const config::ParsedConfig& p) { return diags(p, conf::Severity::Error); }
const std::vector<Checker>& checkers(const config::ParsedConfig& p) {
  return p.config.virtual_servers.at(0).real_servers.at(0).checkers;
}

TEST(SmtpCheckConfig, DefaultsAreKeepalivedsAndTheRealServersPort) {
  auto p = parse("    SMTP_CHECK {\n    }");
  ASSERT_EQ(errors(p), "");
  ASSERT_EQ(checkers(p).size(), 1U);
  const Checker& c = checkers(p)[0];
  EXPECT_EQ(c.kind, CheckerKind::Smtp);
  EXPECT_EQ(to_string(c.connect), "203.0.113.101:2525");
  EXPECT_EQ(std::get<config::SmtpCheck>(c.spec).helo_name, "smtpchecker.keepalived.org");
  EXPECT_EQ(c.retry, 1U);
  EXPECT_EQ(c.delay_before_retry, 1s);
  EXPECT_EQ(c.connect_timeout, 5s);
  EXPECT_EQ(c.delay_loop, 2s);
  EXPECT_EQ(c.warmup, 2s);
  EXPECT_EQ(config::checker_defaults(CheckerKind::Smtp).retry_style, config::RetryStyle::Always);
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  EXPECT_NE(make_probe(ProbeContext{**loop}, c), nullptr);
}

TEST(SmtpCheckConfig, Keywords) {
  auto p = parse("    SMTP_CHECK {\n      helo_name \"foo.bar.com\"\n      connect_ip 203.0.113.9\n"
                 "      connect_port 587\n      bindto 203.0.113.104\n      connect_timeout 3\n"
                 "      retry 4\n      delay_before_retry 2\n      warmup 0\n      alpha\n    }");
  ASSERT_EQ(errors(p), "");
  ASSERT_EQ(checkers(p).size(), 1U);
  const Checker& c = checkers(p)[0];
  EXPECT_EQ(std::get<config::SmtpCheck>(c.spec).helo_name, "foo.bar.com");
  EXPECT_EQ(to_string(c.connect), "203.0.113.9:587");
  EXPECT_EQ(c.bindto->to_string(), "203.0.113.104");
  EXPECT_EQ(c.connect_timeout, 3s);
  EXPECT_EQ(c.retry, 4U);
  EXPECT_EQ(c.delay_before_retry, 2s);
  EXPECT_EQ(c.warmup, 0s);
  EXPECT_TRUE(c.alpha);
  EXPECT_NE(errors(parse("    SMTP_CHECK {\n      helo_name\n    }")), "");
  EXPECT_NE(errors(parse("    SMTP_CHECK {\n      bind_port 4000\n    }")).find("bind_port"), std::string::npos);
  EXPECT_NE(errors(parse("    SMTP_CHECK {\n      helo foo\n    }")).find("smtp.conf:7:7"), std::string::npos);
}

// keepalived 2.2.7 (check_smtp.c): without connection lines of its own, the first host block
// takes the SMTP_CHECK's place and every further one is one more checker.
TEST(SmtpCheckConfig, HostBlocksAreCheckersOfTheirOwn) {
  auto p = parse("    SMTP_CHECK {\n      helo_name foo\n      retry 2\n"
                 "      host {\n        connect_ip 203.0.113.11\n        delay_before_retry 7\n      }\n"
                 "      host {\n        connect_ip 203.0.113.12\n        connect_port 587\n"
                 "        bindto 203.0.113.104\n        connect_timeout 9\n      }\n    }");
  ASSERT_EQ(errors(p), "");
  EXPECT_NE(diags(p, conf::Severity::Warning)
                .find("smtp.conf:9:7: warning: The SMTP_CHECK host block is deprecated. Please define "
                      "additional checkers."),
            std::string::npos)
      << diags(p, conf::Severity::Warning);
  const auto& cs = checkers(p);
  ASSERT_EQ(cs.size(), 2U);
  EXPECT_EQ(to_string(cs[0].connect), "203.0.113.11:2525");
  EXPECT_FALSE(cs[0].bindto);
  EXPECT_EQ(cs[0].connect_timeout, 5s);
  EXPECT_EQ(to_string(cs[1].connect), "203.0.113.12:587");
  EXPECT_EQ(cs[1].bindto->to_string(), "203.0.113.104");
  EXPECT_EQ(cs[1].connect_timeout, 9s);
  for (const auto& c : cs) {  // a host's retry lines set the SMTP_CHECK's
    EXPECT_EQ(c.retry, 2U);
    EXPECT_EQ(c.delay_before_retry, 7s);
    EXPECT_EQ(std::get<config::SmtpCheck>(c.spec).helo_name, "foo");
  }
}

// A connection line of the SMTP_CHECK itself (here connect_timeout) keeps its own checker of the
// real server, and every host block is one more.
TEST(SmtpCheckConfig, OwnConnectionLineKeepsTheRealServersChecker) {
  auto p = parse("    SMTP_CHECK {\n      connect_timeout 10\n"
                 "      host {\n        connect_ip 203.0.113.11\n      }\n"
                 "      host {\n        connect_ip 203.0.113.12\n      }\n    }");
  ASSERT_EQ(errors(p), "");
  const auto& cs = checkers(p);
  ASSERT_EQ(cs.size(), 3U);
  EXPECT_EQ(to_string(cs[0].connect), "203.0.113.101:2525");
  EXPECT_EQ(to_string(cs[1].connect), "203.0.113.11:2525");
  EXPECT_EQ(to_string(cs[2].connect), "203.0.113.12:2525");
  for (const auto& c : cs) EXPECT_EQ(c.connect_timeout, 10s);
  EXPECT_NE(errors(parse("    SMTP_CHECK {\n      host {\n        helo_name x\n      }\n    }")), "");
  EXPECT_NE(errors(parse("    SMTP_CHECK {\n      host {\n        fwmark 1\n      }\n    }")).find("fwmark"),
            std::string::npos);
}

// Debian's sample, as keepalived 2.2.7 reads it: 1 + 4 + 4 checkers, the host warning once each.
TEST(SmtpCheckConfig, DebianSampleLoads) {
  std::ifstream in("/usr/share/doc/keepalived/samples/keepalived.conf.SMTP_CHECK");
  if (!in) GTEST_SKIP() << "keepalived's samples are not installed";
  std::stringstream text;
  text << in.rdbuf();
  auto p = parse_text(text.str());
  ASSERT_EQ(errors(p), "");
  const auto& rss = p.config.virtual_servers.at(0).real_servers;
  ASSERT_EQ(rss.size(), 3U);
  EXPECT_EQ(rss[0].checkers.size(), 1U);
  EXPECT_EQ(rss[1].checkers.size(), 4U);
  EXPECT_EQ(rss[2].checkers.size(), 4U);
  EXPECT_EQ(to_string(rss[2].checkers[3].connect), "64.233.167.100:587");
  EXPECT_EQ(rss[2].checkers[1].bindto->to_string(), "172.16.1.2");
  const std::string w = diags(p, conf::Severity::Warning);
  std::size_t n = 0;
  for (auto at = w.find("host block is deprecated"); at != std::string::npos; at = w.find("host block is deprecated", at + 1)) ++n;
  EXPECT_EQ(n, 2U) << w;
}

// keepalived's smtp_final: every failure is retried (delay_before_retry), also while down.
TEST(SmtpCheckState, RetriedAlsoWhileDown) {
  Checker c = default_checker(CheckerKind::Smtp);
  c.retry = 1;
  c.delay_loop = 5s;
  c.delay_before_retry = 1s;
  CheckerState s(c, CheckerStart::Reload);
  const ProbeResult down = ProbeResult::down("bad greeting banner: 554 no");
  std::vector<long> ms;
  for (int i = 0; i < 4; ++i) {
    ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(s.record(down).next_delay).count());
  }
  EXPECT_EQ(ms, (std::vector<long>{1000, 5000, 1000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(ProbeResult::up("greeting 220, HELO 250"));
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

}  // namespace
}  // namespace lvsctl::director::check
