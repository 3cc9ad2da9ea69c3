// no_accept / vrrp_strict: which VIPs a director drops, and the nftables tables that drop them
// (keepalived 2.2.7: `table ip keepalived { set vips; chain in { ip daddr @vips drop }; chain out
// { ip saddr @vips drop } }` while MASTER, ND accepted first for IPv6).
#include "director/daemon/accept_filter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::Config load(const std::string& text) {
  conf::MemorySources files;
  auto parsed = config::parse_config(text, "test.conf", files);
  for (const auto& d : parsed.diags) {
    if (d.severity == conf::Severity::Error) ADD_FAILURE() << conf::format(d);
  }
  return parsed.config;
}

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

const char* kConfig = R"(global_defs {
    vrrp_strict
}
vrrp_instance STRICT {
    interface eth0
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
    virtual_ipaddress_excluded {
        192.0.2.11/24
        2001:db8::10/64
        fe80::10/64
    }
}
vrrp_instance ACCEPT {
    interface eth0
    version 3
    accept
    virtual_router_id 2
    priority 100
    virtual_ipaddress {
        192.0.2.20/24
    }
}
)";

TEST(AcceptFilter, DropsTheVipsOfMasterInstancesWithoutAccept) {
  const auto config = load(kConfig);
  EXPECT_TRUE(accept_filter_wanted(config));
  const auto all = [](const std::string&) { return true; };
  // The link-local VIP is left out; the accept instance's VIP is never dropped.
  EXPECT_THAT(accept_filter_vips(config, all),
              ElementsAre(ip("192.0.2.10"), ip("192.0.2.11"), ip("2001:db8::10")));
  EXPECT_THAT(accept_filter_vips(config, [](const std::string&) { return false; }), IsEmpty());
}

TEST(AcceptFilter, FollowsEachInstancesStrictMode) {
  // strict_mode on without vrrp_strict drops; strict_mode off under vrrp_strict does not; the
  // address owner (priority 255) never drops, even with no_accept (keepalived 2.2.7).
  auto config = load(R"(vrrp_instance ON {
    interface eth0
    virtual_router_id 1
    priority 100
    strict_mode
    virtual_ipaddress {
        192.0.2.10/24
    }
}
vrrp_instance OWNER {
    interface eth0
    virtual_router_id 2
    priority 255
    no_accept
    virtual_ipaddress {
        192.0.2.30/24
    }
}
)");
  const auto all = [](const std::string&) { return true; };
  EXPECT_TRUE(accept_filter_wanted(config));
  EXPECT_THAT(accept_filter_vips(config, all), ElementsAre(ip("192.0.2.10")));
  config = load(R"(global_defs {
    vrrp_strict
}
vrrp_instance OFF {
    interface eth0
    virtual_router_id 1
    priority 100
    strict_mode off
    virtual_ipaddress {
        192.0.2.10/24
    }
}
)");
  EXPECT_FALSE(accept_filter_wanted(config));
  EXPECT_THAT(accept_filter_vips(config, all), IsEmpty());
}

TEST(AcceptFilter, NothingWithoutNoAccept) {
  // Without vrrp_strict keepalived's default is accept: no table.
  auto config = load(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
}
)");
  EXPECT_FALSE(accept_filter_wanted(config));
  EXPECT_THAT(accept_filter_vips(config, [](const std::string&) { return true; }), IsEmpty());
  // An explicit no_accept drops, vrrp_strict or not (keepalived: "no_accept/strict specified").
  config = load(R"(vrrp_instance A {
    interface eth0
    no_accept
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
}
)");
  EXPECT_TRUE(accept_filter_wanted(config));
  EXPECT_THAT(accept_filter_vips(config, [](const std::string&) { return true; }),
              ElementsAre(ip("192.0.2.10")));
}

TEST(AcceptFilter, TablesPerFamily) {
  EXPECT_THAT(accept_filter_tables({}), IsEmpty());
  const auto tables = accept_filter_tables({ip("192.0.2.10"), ip("2001:db8::10")});
  ASSERT_EQ(tables.size(), 2U);
  const auto& v4 = tables[0];
  EXPECT_EQ(v4.family, NftFamily::Ip);
  EXPECT_EQ(v4.name, "lvsctl_vrrp");
  ASSERT_EQ(v4.chains.size(), 2U);
  EXPECT_EQ(v4.chains[0].id.chain, "in");
  EXPECT_EQ(v4.chains[0].hook, 1U);       // input
  EXPECT_EQ(v4.chains[0].priority, -1);   // filter - 1
  EXPECT_EQ(v4.chains[1].id.chain, "out");
  EXPECT_EQ(v4.chains[1].hook, 3U);       // output
  ASSERT_EQ(v4.rules.size(), 2U);
  // in: ip daddr (network header offset 16, 4 bytes) in { 192.0.2.10 } drop
  const auto& in = v4.rules[0].second;
  ASSERT_EQ(in.size(), 3U);
  EXPECT_EQ(std::get<PayloadExpr>(in[0]).offset, 16U);
  EXPECT_THAT(std::get<LookupExpr>(in[1]).elements,
              ElementsAre(NftBytes{192, 0, 2, 10}));
  EXPECT_EQ(std::get<VerdictExpr>(in[2]).code, nft::kDrop);
  // out: ip saddr (offset 12)
  EXPECT_EQ(std::get<PayloadExpr>(v4.rules[1].second[0]).offset, 12U);
  // IPv6: neighbour solicitation and advert accepted first in both chains, then the drop.
  const auto& v6 = tables[1];
  EXPECT_EQ(v6.family, NftFamily::Ip6);
  ASSERT_EQ(v6.rules.size(), 6U);
  EXPECT_EQ(std::get<VerdictExpr>(v6.rules[0].second.back()).code, nft::kAccept);
  EXPECT_EQ(std::get<CmpExpr>(v6.rules[0].second[3]).data, NftBytes{135});
  EXPECT_EQ(std::get<CmpExpr>(v6.rules[1].second[3]).data, NftBytes{136});
  EXPECT_EQ(std::get<PayloadExpr>(v6.rules[2].second[0]).offset, 24U);  // ip6 daddr
  EXPECT_EQ(std::get<PayloadExpr>(v6.rules[5].second[0]).offset, 8U);   // ip6 saddr
}

}  // namespace
}  // namespace lvsctl::director
