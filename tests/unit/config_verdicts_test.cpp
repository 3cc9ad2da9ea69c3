// Verdicts on keepalived.conf files as keepalived 2.2.7 gives them (issue 14): refuse what
// keepalived would refuse or misread, warn for the rest, saying what is ignored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/json.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return parse_config(text, "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

std::size_t count_containing(const conf::Diagnostics& diags, std::string_view text) {
  std::size_t n = 0;
  for (const auto& d : diags) n += d.message.find(text) != std::string::npos ? 1U : 0U;
  return n;
}

std::string instance(const std::string& body) {
  return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
         "    virtual_ipaddress {\n        203.0.113.10\n    }\n" +
         body + "}\n";
}

// ---- unsupported keywords: error only when ignoring them changes forwarding or VIP holder ----

TEST(ConfigVerdicts, HarmlessUnsupportedKeywordIsAWarningSayingWhatIsIgnored) {
  auto p = parse(instance("    higher_prio_send_advert\n    lvs_sync_daemon_interface eth1\n"));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:7:5: warning: 'higher_prio_send_advert' in vrrp_instance is "
                        "ignored: a master that hears a higher priority advert"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:8:5: warning: 'lvs_sync_daemon_interface' in "
                                      "vrrp_instance is ignored: lvsctl does not run the IPVS "
                                      "connection sync daemon"));
}

TEST(ConfigVerdicts, UnsupportedKeywordThatChangesTheVipHolderIsAnError) {
  auto p = parse(instance("    use_ipvlan\n    track_bfd {\n        f\n    }\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:5: error: not supported yet: use_ipvlan (in "
                                      "vrrp_instance); ignoring it would change what is "
                                      "forwarded or who holds a VIP"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:8:5: error: not supported yet: track_bfd"));
}

// lvsctl advertises on the RFC 5798 groups only: another group, ignored, would leave this
// director and its peers deaf to each other (two masters), so it is refused at its column.
TEST(ConfigVerdicts, AnotherMulticastGroupIsRefusedTheStandardOneAccepted) {
  auto other = parse("global_defs {\n    vrrp_mcast_group4 224.0.0.19\n"
                     "    vrrp_mcast_group6 ff02::13\n}\n" + instance(""));
  EXPECT_TRUE(conf::has_errors(other.diags));
  EXPECT_THAT(all(other.diags), HasSubstr("test.conf:2:23: error: 'vrrp_mcast_group4' 224.0.0.19: "
                                          "lvsctl advertises and listens on 224.0.0.18 only"));
  EXPECT_THAT(all(other.diags), HasSubstr("test.conf:3:23: error: 'vrrp_mcast_group6' ff02::13: "
                                          "lvsctl advertises and listens on ff02::12 only"));
  auto standard = parse("global_defs {\n    vrrp_mcast_group4 224.0.0.18\n"
                        "    vrrp_mcast_group6 ff02::12\n}\n" + instance(""));
  EXPECT_TRUE(standard.diags.empty()) << all(standard.diags);
  auto unicast = parse("global_defs {\n    vrrp_mcast_group6 2001:db8::1\n}\n" + instance(""));
  EXPECT_THAT(all(unicast.diags), HasSubstr("is not an IPv6 multicast address"));
}

TEST(ConfigVerdicts, EveryIgnoredKeywordHasAReason) {
  ASSERT_FALSE(ignored_keywords().empty());
  for (const auto& k : ignored_keywords()) {
    EXPECT_FALSE(k.why.empty()) << k.name;
    EXPECT_EQ(ignored_reason(k.name), k.why);
  }
  EXPECT_TRUE(ignored_reason("use_ipvlan").empty());
  EXPECT_TRUE(ignored_reason("virtual_routes").empty());
}

TEST(ConfigVerdicts, LvsTimeoutsIsActedOnWithoutAWarning) {
  auto p = parse("global_defs {\n    vrrp_strict\n    lvs_timeouts tcp 7200\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("'vrrp_strict' in global_defs is ignored")));
  EXPECT_THAT(all(p.diags), Not(HasSubstr("lvs_timeouts")));
  EXPECT_TRUE(ignored_reason("lvs_timeouts").empty());
}

// ---- DR port mismatch --------------------------------------------------------------------------

TEST(ConfigVerdicts, DirectRoutingPortMismatchIsResetWithAWarning) {
  auto p = parse(R"(virtual_server 203.0.113.10 80 {
    lvs_sched rr
    lvs_method DR
    protocol TCP
    real_server 198.51.100.1 8080 {
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
)");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:5:5: warning: virtual_server 203.0.113.10:80 "
                                      "and real_server 198.51.100.1 ports don't match - "
                                      "resetting to 80"));
  ASSERT_EQ(p.config.virtual_servers.size(), 1U);
  ASSERT_EQ(p.config.virtual_servers[0].real_servers.size(), 1U);
  EXPECT_EQ(p.config.virtual_servers[0].real_servers[0].port, 80);
  EXPECT_EQ(p.config.virtual_servers[0].real_servers[0].checkers.at(0).connect.port, 80);
}

TEST(ConfigVerdicts, NatKeepsADifferentRealServerPort) {
  auto p = parse(R"(virtual_server 203.0.113.10 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 198.51.100.1 8080 {
    }
}
)");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), Not(HasSubstr("don't match")));
  EXPECT_EQ(p.config.virtual_servers.at(0).real_servers.at(0).port, 8080);
}

// ---- lvs_id, near-miss block names -------------------------------------------------------------

TEST(ConfigVerdicts, LvsIdIsReadAsRouterIdWithAWarning) {
  auto p = parse("global_defs {\n    lvs_id LVS_A\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.global.router_id, "LVS_A");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:5: warning: 'lvs_id' is the old name of "
                                      "'router_id'"));
  EXPECT_THAT(all(p.diags), HasSubstr("keepalived 2.2.7 ignores it"));
}

TEST(ConfigVerdicts, NearMissBlockNameGetsASuggestion) {
  auto p = parse("bal_defs {\n    router_id X\n}\nvrrp_instanc VI_1 {\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: error: unknown keyword 'bal_defs' in the "
                                      "top level; did you mean 'global_defs'?"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:4:1: error: unknown keyword 'vrrp_instanc' in "
                                      "the top level; did you mean 'vrrp_instance'?"));
}

TEST(ConfigVerdicts, FarWordGetsNoSuggestion) {
  auto p = parse("banana {\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("unknown keyword 'banana' in the top level\n"));
}

// ---- nb_get_retry ------------------------------------------------------------------------------

const char* kTcpCheckWithNbGetRetry = R"(virtual_server 203.0.113.10 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 198.51.100.1 80 {
        TCP_CHECK {
            nb_get_retry 5
        }
    }
}
)";

TEST(ConfigVerdicts, NbGetRetryInTcpCheckIsAppliedAndTheWarningSaysKeepalivedIgnoresIt) {
  auto p = parse(kTcpCheckWithNbGetRetry);
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& c = p.config.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
  EXPECT_EQ(c.retry, 5U);
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:7:13: warning: keepalived 2.2.7 does not know 'nb_get_retry' "
                        "in TCP_CHECK and ignores it (retry stays at its default there); lvsctl "
                        "applies it as 'retry 5'"));
}

TEST(ConfigVerdicts, NbGetRetryInHttpGetIsAPlainDeprecation) {
  auto p = parse(R"(virtual_server 203.0.113.10 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 198.51.100.1 80 {
        HTTP_GET {
            nb_get_retry 4
            url {
                path /
                status_code 200
            }
        }
    }
}
)");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.virtual_servers.at(0).real_servers.at(0).checkers.at(0).retry, 4U);
  EXPECT_THAT(all(p.diags), HasSubstr("'nb_get_retry' is deprecated; use 'retry'"));
  EXPECT_THAT(all(p.diags), Not(HasSubstr("does not know")));
}

// ---- lb_algo / lb_kind: one line per file -------------------------------------------------------

TEST(ConfigVerdicts, LbAlgoAndLbKindAreSaidOncePerFile) {
  std::string text;
  for (int i = 0; i < 3; ++i) {
    text += "virtual_server 203.0.113.10 " + std::to_string(80 + i) +
            " {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n"
            "    real_server 198.51.100.1 80 {\n    }\n}\n";
  }
  auto p = parse(text);
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(count_containing(p.diags, "lb_algo"), 1U) << all(p.diags);
  EXPECT_EQ(count_containing(p.diags, "lb_kind"), 1U) << all(p.diags);
  EXPECT_EQ(p.config.virtual_servers.at(2).scheduler, "rr");
}

TEST(ConfigVerdicts, LbAlgoIsSaidAgainInAnIncludedFile) {
  conf::MemorySources files;
  files.add("/etc/k/vs.conf",
            "virtual_server 203.0.113.10 81 {\n    lb_algo rr\n    protocol TCP\n}\n");
  auto p = parse_config("virtual_server 203.0.113.10 80 {\n    lb_algo rr\n    protocol TCP\n}\n"
                        "include vs.conf\n",
                        "/etc/k/keepalived.conf", files);
  EXPECT_EQ(count_containing(p.diags, "lb_algo"), 2U) << all(p.diags);
}

// ---- U+00A0 no-break spaces -------------------------------------------------------------------

TEST(ConfigVerdicts, NoBreakSpaceIndentedRealServersLeaveKeepalivedNoRealServers) {
  auto p = parse("virtual_server 203.0.113.10 80 {\n    lvs_sched rr\n    lvs_method NAT\n"
                 "    protocol TCP\n"
                 "\xC2\xA0\xC2\xA0real_server 198.51.100.1 80 {\n    }\n"
                 "\xC2\xA0\xC2\xA0real_server 198.51.100.2 80 {\n    }\n}\n"
                 "virtual_server 203.0.113.11 80 {\n    lvs_sched rr\n    protocol TCP\n"
                 "    real_server 198.51.100.1 80 {\n    }\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  // lvsctl reads the line as written...
  EXPECT_EQ(p.config.virtual_servers.at(0).real_servers.size(), 2U);
  // ...and says, once for the block, what keepalived makes of it.
  EXPECT_EQ(count_containing(p.diags, "U+00A0"), 1U) << all(p.diags);
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:5:5: warning: virtual_server 203.0.113.10 80: U+00A0"));
  EXPECT_THAT(all(p.diags), HasSubstr("keepalived reads 'real_server' (line 5), 'real_server' "
                                      "(line 7) as unknown keywords and ignores them with its "
                                      "block: virtual_server 203.0.113.10 80 ends up with no "
                                      "real servers, and keepalived ignores it"));
}

TEST(ConfigVerdicts, NoBreakSpacesInTwoBlocksAreReportedPerBlock) {
  auto p = parse("vrrp_script chk {\n\xC2\xA0script /bin/true\n    interval 2\n}\n" +
                 instance("\xC2\xA0priority 150\n"));
  EXPECT_EQ(count_containing(p.diags, "U+00A0"), 2U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:3: warning: vrrp_script chk: U+00A0"));
  EXPECT_THAT(all(p.diags), HasSubstr("vrrp_script chk loses its script"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:11:3: warning: vrrp_instance VI_1: U+00A0"));
  EXPECT_THAT(all(p.diags), HasSubstr("'priority' (line 11)"));
}

TEST(ConfigVerdicts, NoBreakSpaceBetweenValuesIsAGluedValue) {
  auto p = parse(instance("    priority\xC2\xA0" "150\n"));
  EXPECT_EQ(p.config.vrrp_instances.at(0).priority, 150);
  EXPECT_THAT(all(p.diags), HasSubstr("keepalived glues the values of 'priority' (line 7)"));
}

// ---- all errors in one run ---------------------------------------------------------------------

TEST(ConfigVerdicts, OneBadStatementDoesNotHideLaterIndependentErrors) {
  auto p = parse(R"(vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 999
    priority abc
    virtual_ipaddress {
        not-an-address
    }
}
virtual_server 203.0.113.10 80 {
    lvs_sched rr
    protocol TCP
    delay_loop x
    real_server 198.51.100.1 99999 {
    }
}
garbage_keyword
)");
  const std::string text = all(p.diags);
  EXPECT_THAT(text, HasSubstr("test.conf:3:23: error:"));
  EXPECT_THAT(text, HasSubstr("test.conf:4:14: error:"));
  EXPECT_THAT(text, HasSubstr("test.conf:6:9: error:"));
  EXPECT_THAT(text, HasSubstr("test.conf:12:16: error:"));
  EXPECT_THAT(text, HasSubstr("test.conf:13:30: error:"));
  EXPECT_THAT(text, HasSubstr("test.conf:16:1: error: unknown keyword 'garbage_keyword'"));
}

// ---- JSON diagnostics --------------------------------------------------------------------------

TEST(ConfigVerdicts, DiagnosticsAsJson) {
  auto p = parse("vrrp_instance A {\n  bogus \"x\\\"y\"\n}\n");
  const std::string json = diagnostics_json("test.conf", p.diags);
  EXPECT_THAT(json, HasSubstr("\"valid\": false"));
  EXPECT_THAT(json, HasSubstr("{\n      \"file\": \"test.conf\",\n      \"line\": 2,\n"
                              "      \"column\": 3,\n      \"severity\": \"error\",\n"
                              "      \"message\": \"unknown keyword 'bogus' in vrrp_instance\"\n"
                              "    }"));
}

// ---- warnings keepalived gives ------------------------------------------------------------------

TEST(ConfigVerdicts, ShellSyntaxInScriptsIsAWarning) {
  auto p = parse(R"(vrrp_script chk {
    script "/usr/bin/check > /tmp/out"
}
vrrp_script ok {
    script "/bin/sh -c 'a && b'"
}
virtual_server 203.0.113.10 80 {
    lvs_sched rr
    protocol TCP
    real_server 198.51.100.1 80 {
        MISC_CHECK {
            misc_path "/bin/check | grep up"
        }
    }
}
)");
  const std::string text = all(p.diags);
  EXPECT_THAT(text, HasSubstr("test.conf:2:12: warning: 'script': '>' is passed to "
                              "/usr/bin/check as an argument: scripts run without a shell"));
  EXPECT_THAT(text, HasSubstr("test.conf:12:23: warning: 'misc_path': '|' is passed to /bin/check"));
  EXPECT_EQ(count_containing(p.diags, "without a shell"), 2U) << text;
}

TEST(ConfigVerdicts, MulticastMcastSrcIpIsAWarning) {
  auto p = parse(instance("    mcast_src_ip 224.0.0.18\n"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:7:18: warning: 'mcast_src_ip' 224.0.0.18 is a "
                                      "multicast address"));
  auto q = parse(instance("    mcast_src_ip 192.0.2.1\n"));
  EXPECT_THAT(all(q.diags), Not(HasSubstr("multicast address")));
}

TEST(ConfigVerdicts, Vrrpv2FractionalAdvertIntIsRoundedLikeKeepalived) {
  auto p = parse(instance("    advert_int 0.01\n"));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances.at(0).advert_int, std::chrono::seconds(1));
  EXPECT_THAT(all(p.diags), HasSubstr("rounded to 1 s as keepalived does"));
  auto q = parse(instance("    advert_int 1.5\n"));
  EXPECT_EQ(q.config.vrrp_instances.at(0).advert_int, std::chrono::seconds(2));
  auto r = parse(instance("    advert_int 2.4\n"));
  EXPECT_EQ(r.config.vrrp_instances.at(0).advert_int, std::chrono::seconds(2));
  auto v3 = parse(instance("    version 3\n    advert_int 0.5\n"));
  EXPECT_EQ(v3.config.vrrp_instances.at(0).advert_int, std::chrono::milliseconds(500));
}

// ---- sync group with bare instance names (Debian's keepalived.conf.vrrp.lvs_syncd) ------------

TEST(ConfigVerdicts, BareNamesInASyncGroupAreIgnoredAndTheEmptyGroupRemoved) {
  auto p = parse("vrrp_sync_group VG1 {\n  VI_1\n}\n" + instance(""));
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:3: warning: 'VI_1' in vrrp_sync_group VG1 is "
                                      "ignored, as keepalived 2.2.7 ignores it"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: vrrp_sync_group VG1 has no "
                                      "instances"));
  EXPECT_TRUE(p.config.vrrp_sync_groups.empty());
  EXPECT_EQ(p.config.vrrp_instances.at(0).sync_group, "");
}

}  // namespace
}  // namespace lvsctl::director::config
