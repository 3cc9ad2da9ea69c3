// global_defs `tcp_check_mode connect|syn`: read from the config (default connect, as keepalived
// checks), and the choice it makes per TCP_CHECK (a SYN probe only in syn mode, only for IPv4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/check/syn_probe.hpp"
#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using config::TcpCheckMode;
using ::testing::HasSubstr;

config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return config::parse_config(text, "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

TEST(TcpCheckMode, DefaultIsConnectAsKeepalived) {
  auto p = parse("global_defs {\n    router_id A\n}\n");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.global.tcp_check_mode, TcpCheckMode::Connect);
}

TEST(TcpCheckMode, SynAndConnectAreRead) {
  auto syn = parse("global_defs {\n    tcp_check_mode syn\n}\n");
  ASSERT_FALSE(conf::has_errors(syn.diags)) << all(syn.diags);
  EXPECT_TRUE(syn.diags.empty()) << all(syn.diags);  // lvsctl's own keyword: no warning
  EXPECT_EQ(syn.config.global.tcp_check_mode, TcpCheckMode::Syn);
  auto connect = parse("global_defs {\n    tcp_check_mode syn\n    tcp_check_mode connect\n}\n");
  ASSERT_FALSE(conf::has_errors(connect.diags)) << all(connect.diags);
  EXPECT_EQ(connect.config.global.tcp_check_mode, TcpCheckMode::Connect);
}

TEST(TcpCheckMode, BadValueIsAnErrorAtItsColumn) {
  auto p = parse("global_defs {\n    tcp_check_mode half-open\n}\n");
  ASSERT_TRUE(conf::has_errors(p.diags));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:20"));
  EXPECT_THAT(all(p.diags), HasSubstr("'tcp_check_mode' value 'half-open' is not connect or syn"));
  auto none = parse("global_defs {\n    tcp_check_mode\n}\n");
  EXPECT_TRUE(conf::has_errors(none.diags)) << all(none.diags);
}

TEST(TcpCheckMode, SynProbeOnlyInSynModeAndOnlyForIpv4) {
  const config::Checker tcp = config::default_checker(config::CheckerKind::Tcp);
  const config::Endpoint v4{*IpAddress::parse("203.0.113.10"), 80};
  const config::Endpoint v6{*IpAddress::parse("2001:db8::10"), 80};
  EXPECT_FALSE(check::syn_probe_chosen(TcpCheckMode::Connect, v4, tcp));
  EXPECT_FALSE(check::syn_probe_chosen(TcpCheckMode::Connect, v6, tcp));
  EXPECT_TRUE(check::syn_probe_chosen(TcpCheckMode::Syn, v4, tcp));
  EXPECT_FALSE(check::syn_probe_chosen(TcpCheckMode::Syn, v6, tcp));
  config::Checker bound6 = tcp;
  bound6.bindto = IpAddress::parse("2001:db8::1");
  EXPECT_FALSE(check::syn_probe_chosen(TcpCheckMode::Syn, v4, bound6));
  config::Checker bound4 = tcp;
  bound4.bindto = IpAddress::parse("203.0.113.1");
  EXPECT_TRUE(check::syn_probe_chosen(TcpCheckMode::Syn, v4, bound4));
}

TEST(TcpCheckMode, ConnectModeOpensNoRawSocket) {
  // open_syn_prober in connect mode returns nullptr before trying a raw socket, so this holds
  // with or without CAP_NET_RAW.
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok());
  check::RealServerConfig rs;
  rs.address = config::Endpoint{*IpAddress::parse("203.0.113.10"), 80};
  rs.checkers.push_back(config::default_checker(config::CheckerKind::Tcp, rs.address));
  EXPECT_EQ(check::open_syn_prober(**loop, {rs}, TcpCheckMode::Connect), nullptr);
}

}  // namespace
}  // namespace lvsctl::director
