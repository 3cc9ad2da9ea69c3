// The builder: statement tree -> typed model, keepalived defaults, deprecations, typos.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

std::size_t count(const conf::Diagnostics& diags, conf::Severity s) {
  std::size_t n = 0;
  for (const auto& d : diags) n += d.severity == s ? 1 : 0;
  return n;
}

const char* kMinimalVrrp = R"(
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        203.0.113.10
    }
}
)";

TEST(ConfigBuild, VrrpDefaultsFollowKeepalived) {
  auto p = parse(kMinimalVrrp);
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_EQ(p.config.vrrp_instances.size(), 1U);
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.name, "VI_1");
  EXPECT_EQ(vi.state, VrrpState::Backup);
  EXPECT_EQ(vi.priority, 100);
  EXPECT_EQ(vi.advert_int, std::chrono::seconds(1));
  EXPECT_EQ(vi.version, 2);
  EXPECT_EQ(vi.garp_master_delay, std::chrono::seconds(5));
  EXPECT_EQ(vi.garp_master_repeat, 5U);
  EXPECT_TRUE(vi.accept);
  EXPECT_FALSE(vi.nopreempt);
  EXPECT_EQ(vi.auth_type, AuthType::None);
  ASSERT_EQ(vi.virtual_ipaddress.size(), 1U);
  EXPECT_EQ(vi.virtual_ipaddress[0].prefix.to_string(), "203.0.113.10/32");
  EXPECT_EQ(vi.virtual_ipaddress[0].scope, "global");
  EXPECT_EQ(vi.where.line, 2);
  EXPECT_EQ(vi.where.column, 1);
  EXPECT_EQ(vi.virtual_ipaddress[0].where.line, 6);
}

TEST(ConfigBuild, StateMasterWithoutPriorityIsAddressOwner) {
  auto p = parse(R"(vrrp_instance A {
    state MASTER
    interface eth0
    virtual_router_id 1
    virtual_ipaddress { 203.0.113.1 }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances[0].priority, 255);
}

TEST(ConfigBuild, Priority255WithoutStateStartsMaster) {
  auto p = parse(R"(vrrp_instance A {
    priority 255
    interface eth0
    virtual_router_id 1
    virtual_ipaddress { 203.0.113.1 }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances[0].state, VrrpState::Master);
}

TEST(ConfigBuild, GlobalDefsProvideInstanceDefaults) {
  auto p = parse(R"(global_defs {
    router_id DIRECTOR_1
    vrrp_version 3
    vrrp_garp_master_delay 2
    vrrp_garp_master_repeat 3
    vrrp_mcast_group4 224.0.0.18
    enable_script_security
    script_user nobody nogroup
    lvs_flush
}
vrrp_instance A {
    interface eth0
    virtual_router_id 7
    advert_int 0.25
    garp_master_repeat 9
    virtual_ipaddress { 203.0.113.1 }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& g = p.config.global;
  EXPECT_EQ(g.router_id, "DIRECTOR_1");
  EXPECT_EQ(g.vrrp_mcast_group4.to_string(), "224.0.0.18");
  EXPECT_TRUE(g.enable_script_security);
  EXPECT_EQ(g.script_user, "nobody");
  EXPECT_EQ(g.script_group, "nogroup");
  EXPECT_TRUE(g.lvs_flush);
  const auto& vi = p.config.vrrp_instances[0];
  EXPECT_EQ(vi.version, 3);
  EXPECT_EQ(vi.advert_int, std::chrono::milliseconds(250));
  EXPECT_EQ(vi.garp_master_delay, std::chrono::seconds(2));
  EXPECT_EQ(vi.garp_master_repeat, 9U);
}

TEST(ConfigBuild, UnsupportedGlobalsAreWarningsByName) {
  auto p = parse(R"(global_defs {
    notification_email {
        root@example.org
    }
    smtp_server 192.0.2.25
    router_id X
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(count(p.diags, conf::Severity::Warning), 2U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:2:5: warning: 'notification_email'"));
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:5:5: warning: 'smtp_server'"));
}

TEST(ConfigBuild, FullVrrpInstance) {
  auto p = parse(R"(
vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval 2
    weight -20
    fall 3
    rise 2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 100
    priority 50
    advert_int 1
    nopreempt
    preempt_delay 2.5
    authentication {
        auth_type PASS
        auth_pass 12345
    }
    virtual_ipaddress {
        203.0.113.100/24 brd 203.0.113.255 dev eth1 scope link label eth1:vip
        2001:db8::1/64 dev eth0
    }
    virtual_ipaddress_excluded {
        198.51.100.7
    }
    unicast_src_ip 203.0.113.104
    unicast_peer {
        203.0.113.105
        203.0.113.106 min_ttl 250 max_ttl 255
    }
    track_interface {
        eth1
        eth2 weight -10
    }
    track_script {
        chk_haproxy weight 5
    }
    notify_master "/etc/keepalived/notify.sh master" root root
    notify /etc/keepalived/any.sh
    garp_master_delay 1
    no_accept
}
)");
  // The mixed-family VIP is an error; everything else is fine.
  ASSERT_EQ(count(p.diags, conf::Severity::Error), 1U) << all(p.diags);
  EXPECT_THAT(all(p.diags), HasSubstr("mixes IPv4 and IPv6"));
  const auto& vi = p.config.vrrp_instances.at(0);
  EXPECT_EQ(vi.vrid, 100);
  EXPECT_EQ(vi.priority, 50);
  EXPECT_TRUE(vi.nopreempt);
  EXPECT_EQ(vi.preempt_delay, std::chrono::milliseconds(2500));
  EXPECT_EQ(vi.auth_type, AuthType::Pass);
  EXPECT_EQ(vi.auth_pass, "12345");
  ASSERT_EQ(vi.virtual_ipaddress.size(), 2U);
  const auto& v0 = vi.virtual_ipaddress[0];
  EXPECT_EQ(v0.prefix.length, 24);
  EXPECT_EQ(v0.broadcast->to_string(), "203.0.113.255");
  EXPECT_EQ(v0.dev, "eth1");
  EXPECT_EQ(v0.scope, "link");
  EXPECT_EQ(v0.label, "eth1:vip");
  EXPECT_EQ(vi.virtual_ipaddress_excluded.at(0).prefix.address.to_string(), "198.51.100.7");
  EXPECT_EQ(vi.unicast_src_ip->to_string(), "203.0.113.104");
  ASSERT_EQ(vi.unicast_peers.size(), 2U);
  EXPECT_EQ(vi.unicast_peers[1].min_ttl, 250);
  EXPECT_EQ(vi.unicast_peers[1].max_ttl, 255);
  ASSERT_EQ(vi.track_interfaces.size(), 2U);
  EXPECT_EQ(vi.track_interfaces[1].weight, -10);
  ASSERT_EQ(vi.track_scripts.size(), 1U);
  EXPECT_EQ(vi.track_scripts[0].weight, 5);
  ASSERT_TRUE(vi.notify.master);
  EXPECT_EQ(vi.notify.master->command, "/etc/keepalived/notify.sh master");
  EXPECT_EQ(vi.notify.master->user, "root");
  EXPECT_EQ(vi.notify.any->command, "/etc/keepalived/any.sh");
  EXPECT_EQ(vi.garp_master_delay, std::chrono::seconds(1));
  EXPECT_FALSE(vi.accept);
  const auto& s = p.config.vrrp_scripts.at(0);
  EXPECT_EQ(s.script.command, "/usr/bin/killall -0 haproxy");
  EXPECT_EQ(s.interval, std::chrono::seconds(2));
  EXPECT_EQ(s.weight, -20);
  EXPECT_EQ(s.fall, 3U);
  EXPECT_EQ(s.rise, 2U);
}

TEST(ConfigBuild, LongAuthPassIsTruncatedWithWarning) {
  auto p = parse(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 1
    authentication {
        auth_type PASS
        auth_pass 0123456789
    }
    virtual_ipaddress { 203.0.113.1 }
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  EXPECT_EQ(p.config.vrrp_instances[0].auth_pass, "01234567");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:6:19: warning: 'auth_pass' is longer than 8"));
}

const char* kService = R"(
virtual_server 203.0.113.100 80 {
    delay_loop 6
    lvs_sched rr
    lvs_method DR
    persistence_timeout 50
    protocol TCP
    real_server 203.0.113.101 80 {
        weight 2
        TCP_CHECK {
            connect_timeout 10
            retry 3
            delay_before_retry 3
        }
    }
    real_server 203.0.113.102 {
        HTTP_GET {
            url {
                path /health
                status_code 200 300-399
            }
        }
        MISC_CHECK {
            misc_path "/bin/check 203.0.113.102"
            misc_dynamic
        }
    }
}
)";

TEST(ConfigBuild, VirtualServerAndInheritance) {
  auto p = parse(kService);
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_EQ(p.config.virtual_servers.size(), 1U);
  const auto& vs = p.config.virtual_servers[0];
  EXPECT_EQ(vs.kind, VirtualServerKind::Address);
  EXPECT_EQ(vs.address.to_string(), "203.0.113.100");
  EXPECT_EQ(vs.port, 80);
  EXPECT_EQ(vs.scheduler, "rr");
  EXPECT_EQ(vs.method, ForwardingMethod::Dr);
  EXPECT_EQ(vs.persistence_timeout, 50U);
  EXPECT_EQ(vs.protocol, Protocol::Tcp);
  EXPECT_EQ(vs.delay_loop, std::chrono::seconds(6));
  EXPECT_EQ(vs.quorum, 1U);
  ASSERT_EQ(vs.real_servers.size(), 2U);

  const auto& r1 = vs.real_servers[0];
  EXPECT_EQ(r1.weight, 2);
  EXPECT_EQ(r1.method, ForwardingMethod::Dr);
  ASSERT_EQ(r1.checkers.size(), 1U);
  const auto& tcp = r1.checkers[0];
  EXPECT_EQ(tcp.kind, CheckerKind::Tcp);
  EXPECT_EQ(tcp.connect.ip.to_string(), "203.0.113.101");
  EXPECT_EQ(tcp.connect.port, 80);
  EXPECT_EQ(tcp.connect_timeout, std::chrono::seconds(10));
  EXPECT_EQ(tcp.retry, 3U);
  EXPECT_EQ(tcp.delay_before_retry, std::chrono::seconds(3));
  EXPECT_EQ(tcp.delay_loop, std::chrono::seconds(6));
  EXPECT_EQ(tcp.warmup, std::chrono::seconds(6));

  const auto& r2 = vs.real_servers[1];
  EXPECT_EQ(r2.port, 80) << "an omitted real server port is the service's";
  EXPECT_EQ(r2.weight, 1);
  ASSERT_EQ(r2.checkers.size(), 2U);
  const auto& http = r2.checkers[0];
  EXPECT_EQ(http.kind, CheckerKind::HttpGet);
  EXPECT_EQ(http.connect_timeout, std::chrono::seconds(5)) << "keepalived default";
  EXPECT_EQ(http.retry, 1U);
  EXPECT_EQ(http.delay_before_retry, std::chrono::seconds(3)) << "HTTP default is 3 s";
  const auto& h = std::get<HttpCheck>(http.spec);
  ASSERT_EQ(h.urls.size(), 1U);
  EXPECT_EQ(h.urls[0].path, "/health");
  ASSERT_EQ(h.urls[0].status_codes.size(), 2U);
  EXPECT_EQ(h.urls[0].status_codes[1].low, 300);
  EXPECT_EQ(h.urls[0].status_codes[1].high, 399);
  const auto& misc = r2.checkers[1];
  EXPECT_EQ(misc.kind, CheckerKind::Misc);
  EXPECT_EQ(misc.retry, 0U) << "MISC_CHECK retry defaults to 0";
  const auto& m = std::get<MiscCheck>(misc.spec);
  EXPECT_EQ(m.path.command, "/bin/check 203.0.113.102");
  EXPECT_TRUE(m.dynamic);
  EXPECT_EQ(m.timeout, std::chrono::seconds(6)) << "misc_timeout defaults to delay_loop";
}

TEST(ConfigBuild, VirtualServerDefaultsWarnWhereKeepalivedWould) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    real_server 203.0.113.101 80 {
        TCP_CHECK {
        }
    }
})");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vs = p.config.virtual_servers.at(0);
  EXPECT_EQ(vs.scheduler, "wlc");
  EXPECT_EQ(vs.method, ForwardingMethod::Nat);
  EXPECT_EQ(vs.protocol, Protocol::Udp);
  EXPECT_EQ(vs.delay_loop, std::chrono::seconds(60));
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("no lvs_sched; using wlc"));
  EXPECT_THAT(d, HasSubstr("no lvs_method; using NAT"));
  EXPECT_THAT(d, HasSubstr("no 'protocol'; using UDP"));
  EXPECT_EQ(vs.real_servers[0].checkers[0].delay_loop, std::chrono::seconds(60));
}

TEST(ConfigBuild, CheckerSettingsInheritFromRealThenVirtualServer) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    delay_loop 10
    connect_timeout 7
    retry 4
    delay_before_retry 2
    warmup 1.5
    real_server 203.0.113.101 8080 {
        retry 6
        TCP_CHECK {
            delay_before_retry 0.5
            connect_port 9000
            connect_ip 198.51.100.1
            bindto 203.0.113.100
        }
    }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& c = p.config.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
  EXPECT_EQ(c.connect_timeout, std::chrono::seconds(7));
  EXPECT_EQ(c.retry, 6U);
  EXPECT_EQ(c.delay_before_retry, std::chrono::milliseconds(500));
  EXPECT_EQ(c.delay_loop, std::chrono::seconds(10));
  EXPECT_EQ(c.warmup, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.connect.port, 9000);
  EXPECT_EQ(c.connect.ip.to_string(), "198.51.100.1");
  EXPECT_EQ(c.bindto->to_string(), "203.0.113.100");
}

TEST(ConfigBuild, DeprecatedSpellingsAreAcceptedWithWarningNamingTheCurrentKeyword) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lb_algo wrr
    lb_kind TUN
    nat_mask 255.255.255.0
    protocol TCP
    real_server 203.0.113.101 80 {
        TCP_CHECK {
            nb_get_retry 2
        }
    }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const std::string d = all(p.diags);
  // lb_algo and lb_kind: one line for both (keepalived 2.2.7 accepts them silently).
  EXPECT_THAT(d, HasSubstr("test.conf:2:5: warning: 'lb_algo'/'lb_kind' are the old names of "
                           "'lvs_sched'/'lvs_method'"));
  EXPECT_THAT(d, Not(HasSubstr("test.conf:3:5:")));
  EXPECT_THAT(d, HasSubstr("test.conf:4:5: warning: 'nat_mask' is obsolete"));
  EXPECT_THAT(d, HasSubstr("test.conf:8:13: warning: keepalived 2.2.7 does not know "
                           "'nb_get_retry' in TCP_CHECK"));
  const auto& vs = p.config.virtual_servers.at(0);
  EXPECT_EQ(vs.scheduler, "wrr");
  EXPECT_EQ(vs.method, ForwardingMethod::Tun);
  EXPECT_EQ(vs.real_servers.at(0).checkers.at(0).retry, 2U);
}

TEST(ConfigBuild, LowercaseValuesAreReadWithAWarning) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lb_algo RR
    lb_kind dr
    protocol tcp
    real_server 203.0.113.101 80 {
    }
})");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& vs = p.config.virtual_servers.at(0);
  EXPECT_EQ(vs.method, ForwardingMethod::Dr);
  EXPECT_EQ(vs.scheduler, "rr");
  EXPECT_EQ(vs.protocol, Protocol::Tcp);
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:3:13: warning: 'lb_kind dr' read as 'DR'"));
  EXPECT_THAT(d, HasSubstr("test.conf:2:13: warning: 'lb_algo RR' read as 'rr'"));
  // keepalived itself compares the protocol case-insensitively: no warning for `tcp`.
  EXPECT_THAT(d, Not(HasSubstr("'protocol tcp'")));
}

TEST(ConfigBuild, TypoIsAnErrorWithSuggestionAndPosition) {
  auto p = parse(R"(virtual_server 203.0.113.100 80 {
    lvs_sched rr
    protocol TCP
    real_servr 203.0.113.101 80 {
        weight 1
    }
})");
  ASSERT_TRUE(conf::has_errors(p.diags));
  EXPECT_THAT(all(p.diags),
              HasSubstr("test.conf:4:5: error: unknown keyword 'real_servr' in virtual_server; did "
                        "you mean 'real_server'?"));
}

TEST(ConfigBuild, TyposEverywhereAreAllReported) {
  auto p = parse(R"(global_defs {
    router_idd X
}
vrrp_instance A {
    interfce eth0
    virtual_router_id 1
    virtual_ipaddress { 203.0.113.1 }
    authentication {
        auth_tpye PASS
    }
}
virtual_server 203.0.113.1 80 {
    protocol TCP
    real_server 203.0.113.2 80 {
        TCP_CHECK {
            conect_timeout 3
        }
    }
}
totally_unknown_block {
}
)");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:2:5: error: unknown keyword 'router_idd' in global_defs; "
                           "did you mean 'router_id'?"));
  EXPECT_THAT(d, HasSubstr("test.conf:5:5: error: unknown keyword 'interfce' in vrrp_instance; "
                           "did you mean 'interface'?"));
  EXPECT_THAT(d, HasSubstr("test.conf:9:9: error: unknown keyword 'auth_tpye' in authentication; "
                           "did you mean 'auth_type'?"));
  EXPECT_THAT(d, HasSubstr("test.conf:16:13: error: unknown keyword 'conect_timeout' in "
                           "TCP_CHECK; did you mean 'connect_timeout'?"));
  EXPECT_THAT(d, HasSubstr("test.conf:20:1: error: unknown keyword 'totally_unknown_block' in the "
                           "top level\n"));
}

TEST(ConfigBuild, KnownButUnimplementedKeywordsAreErrors) {
  auto p = parse(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 1
    use_ipvlan
    virtual_ipaddress { 203.0.113.1 }
}
track_group G1 {
    group {
        A
    }
}
virtual_server 203.0.113.1 80 {
    protocol TCP
    ha_suspend
    real_server 203.0.113.2 80 {
        BFD_CHECK {
        }
    }
})");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:4:5: error: not supported yet: use_ipvlan"));
  EXPECT_THAT(d, HasSubstr("test.conf:7:1: error: not supported yet: track_group"));
  // ha_suspend only pauses checks while the VIPs are elsewhere: ignored with a warning.
  EXPECT_THAT(d, HasSubstr("test.conf:14:5: warning: 'ha_suspend' in virtual_server is ignored"));
  EXPECT_THAT(d, HasSubstr("test.conf:16:9: error: BFD is not available in lvsctl (no BFD sessions)"));
}

TEST(ConfigBuild, AlertingOnlyKeywordsAreWarningsInEveryBlock) {
  // smtp_alert / snmp_name change nothing on the wire or in IPVS: a keepalived.conf that has
  // them (as Debian's samples do) still loads, with a warning naming each place.
  auto p = parse(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 51
    smtp_alert
    virtual_ipaddress {
        203.0.113.10
    }
}
virtual_server 203.0.113.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    smtp_alert
    real_server 203.0.113.2 80 {
        smtp_alert
        snmp_name web2
    }
})");
  const std::string d = all(p.diags);
  EXPECT_FALSE(conf::has_errors(p.diags)) << d;
  EXPECT_EQ(count(p.diags, conf::Severity::Warning), 4U) << d;
  EXPECT_THAT(d, HasSubstr("test.conf:4:5: warning: 'smtp_alert' in vrrp_instance is ignored: "
                           "lvsctl sends no e-mail alerts"));
  EXPECT_THAT(d, HasSubstr("test.conf:13:5: warning: 'smtp_alert' in virtual_server is ignored"));
  EXPECT_THAT(d, HasSubstr("test.conf:15:9: warning: 'smtp_alert' in real_server is ignored"));
  EXPECT_THAT(d, HasSubstr("test.conf:16:9: warning: 'snmp_name' in real_server is ignored"));
}

TEST(ConfigBuild, BadValuesNameTheValueAndItsPosition) {
  auto p = parse(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 256
    priority 0
    advert_int -1
    state SLAVE
    virtual_ipaddress {
        203.0.113.300
        203.0.113.1/33
        203.0.113.2 scope galaxy
    }
}
virtual_server 203.0.113.1 70000 {
}
virtual_server 203.0.113.1 80 {
    protocol TCP
    real_server 203.0.113.x 80 {
        weight 70000
    }
}
)");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:3:23: error: 'virtual_router_id' value 256 is out of range "
                           "1-255"));
  EXPECT_THAT(d, HasSubstr("test.conf:4:14: error: 'priority' value 0 is out of range 1-255"));
  EXPECT_THAT(d, HasSubstr("test.conf:5:16: error: 'advert_int' value '-1' is not a time"));
  EXPECT_THAT(d, HasSubstr("test.conf:6:11: error: 'state' value 'SLAVE' is not one of "
                           "MASTER|BACKUP"));
  EXPECT_THAT(d, HasSubstr("test.conf:8:9: error: '203.0.113.300' is not an IP address"));
  EXPECT_THAT(d, HasSubstr("test.conf:9:9: error: '203.0.113.1/33' is not an IP address"));
  EXPECT_THAT(d, HasSubstr("test.conf:10:27: error: scope 'galaxy'"));
  EXPECT_THAT(d, HasSubstr("test.conf:13:28: error: 'virtual_server': '70000' is not a port"));
  EXPECT_THAT(d, HasSubstr("test.conf:17:17: error: 'real_server': '203.0.113.x' is not an IP"));
}

TEST(ConfigBuild, BlockShapeMistakesAreReported) {
  auto p = parse(R"(vrrp_instance A {
    interface eth0 {
    }
    virtual_router_id 1
    virtual_ipaddress 203.0.113.1
}
vrrp_instance
)");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:2:5: error: 'interface' does not take a { ... } block"));
  EXPECT_THAT(d, HasSubstr("test.conf:5:5: error: 'virtual_ipaddress' needs a { ... } block"));
  EXPECT_THAT(d, HasSubstr("test.conf:7:1: error: 'vrrp_instance' needs a { ... } block"));
}

TEST(ConfigBuild, FwmarkAndGroupServices) {
  auto p = parse(R"(
virtual_server_group WEB {
    203.0.113.10 80
    203.0.113.20-29 80
    198.51.100.0/30 80
    2001:db8::2-9 80
    fwmark 5
}
virtual_server group WEB {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 203.0.113.101 8080 {
    }
}
virtual_server fwmark 7 {
    lvs_sched sh
    lvs_method DR
    ip_family inet
    persistence_timeout
    real_server 203.0.113.101 80 {
    }
}
)");
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto& g = p.config.virtual_server_groups.at(0);
  ASSERT_EQ(g.ranges.size(), 4U);
  EXPECT_EQ(g.ranges[1].first.to_string(), "203.0.113.20");
  EXPECT_EQ(g.ranges[1].last.to_string(), "203.0.113.29");
  EXPECT_EQ(g.ranges[2].first.to_string(), "198.51.100.0");
  EXPECT_EQ(g.ranges[2].last.to_string(), "198.51.100.3");
  EXPECT_EQ(g.ranges[3].last.to_string(), "2001:db8::9");
  ASSERT_EQ(g.fwmarks.size(), 1U);
  EXPECT_EQ(g.fwmarks[0].fwmark, 5U);
  const auto& group_vs = p.config.virtual_servers.at(0);
  EXPECT_EQ(group_vs.kind, VirtualServerKind::Group);
  EXPECT_EQ(group_vs.group, "WEB");
  const auto& fw = p.config.virtual_servers.at(1);
  EXPECT_EQ(fw.kind, VirtualServerKind::Fwmark);
  EXPECT_EQ(fw.fwmark, 7U);
  EXPECT_FALSE(fw.protocol.has_value());
  EXPECT_EQ(fw.persistence_timeout, 360U) << "persistence_timeout without a value is 6 minutes";
  EXPECT_EQ(fw.real_servers.at(0).port, 0) << "DR real server port is ignored for fwmark";
  EXPECT_THAT(all(p.diags), HasSubstr("the port is ignored"));
}

TEST(ConfigBuild, SyncGroupMembershipAndOldSyntax) {
  auto p = parse(R"(
vrrp_sync_group G1 {
    group {
        A
        B
    }
    notify_master /bin/true
}
vrrp_sync_group OLD {
    A
}
vrrp_instance A {
    interface eth0
    virtual_router_id 1
    virtual_ipaddress { 203.0.113.1 }
}
vrrp_instance B {
    interface eth0
    virtual_router_id 2
    virtual_ipaddress { 203.0.113.2 }
}
)");
  EXPECT_EQ(p.config.vrrp_instances.at(0).sync_group, "G1");
  EXPECT_EQ(p.config.vrrp_instances.at(1).sync_group, "G1");
  // keepalived 2.2.7 ignores the bare name ("Unknown keyword") and removes the empty group.
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:10:5: warning: 'A' in vrrp_sync_group OLD is "
                                      "ignored, as keepalived 2.2.7 ignores it (unknown keyword): "
                                      "instance names go inside 'group"));
  EXPECT_EQ(p.config.vrrp_sync_groups.size(), 1U);
}

TEST(ConfigBuild, HttpAndSslCheckers) {
  auto p = parse(R"(virtual_server 203.0.113.100 443 {
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    virtualhost www.example.org
    real_server 203.0.113.101 443 {
        SSL_GET {
            enable_sni
            url {
                path /
                digest 9B3A0C85A887A256D6939DA88AABD8CD
            }
            url {
                path /b
                virtualhost other.example.org
            }
        }
        HTTP_GET {
            url {
                path /c
                regex ok
            }
        }
    }
})");
  const std::string d = all(p.diags);
  EXPECT_THAT(d, HasSubstr("test.conf:21:17: error: not supported yet: regex (in url)"));
  const auto& cs = p.config.virtual_servers.at(0).real_servers.at(0).checkers;
  ASSERT_EQ(cs.size(), 2U);
  const auto& ssl = std::get<HttpCheck>(cs[0].spec);
  EXPECT_TRUE(ssl.tls);
  EXPECT_TRUE(ssl.enable_sni);
  EXPECT_EQ(ssl.urls.at(0).digest, "9b3a0c85a887a256d6939da88aabd8cd");
  EXPECT_EQ(ssl.urls.at(0).virtualhost, "www.example.org");
  EXPECT_EQ(ssl.urls.at(1).virtualhost, "other.example.org");
  EXPECT_EQ(ssl.urls.at(0).status_codes.at(0).low, 200);
  EXPECT_EQ(ssl.urls.at(0).status_codes.at(0).high, 299);
}

TEST(ConfigBuild, IncludedFilesKeepTheirOwnPositions) {
  conf::MemorySources files;
  files.add("/etc/keepalived/conf.d/vs.conf", R"(virtual_server 203.0.113.1 80 {
    protocol TCP
    lvs_sched rr
    real_servr 203.0.113.2 80 {
    }
})");
  auto p = parse_config("include conf.d/*.conf\n", "/etc/keepalived/keepalived.conf", files);
  EXPECT_THAT(all(p.diags), HasSubstr("/etc/keepalived/conf.d/vs.conf:4:5: error: unknown "
                                      "keyword 'real_servr'"));
}

TEST(ConfigBuild, EmptyInputIsAnEmptyValidConfig) {
  auto p = parse("");
  EXPECT_TRUE(p.diags.empty()) << all(p.diags);
  EXPECT_TRUE(p.config.vrrp_instances.empty());
  EXPECT_TRUE(p.config.virtual_servers.empty());
}

}  // namespace
}  // namespace lvsctl::director::config
