// Pure --persist text transformations.
#include <gtest/gtest.h>

#include "firewall/persist_text.hpp"

namespace lvsctl::firewall {
namespace {

TEST(FirewallPersistText, IncludeLineAddedOnceAndRemoved) {
  const std::string conf = "#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n}\n";
  const std::string once = add_nft_include(conf, kNftIncludePath);
  EXPECT_EQ(once.rfind(conf, 0), 0u);  // the user's text is kept as is, ours appended
  EXPECT_NE(once.find("include \"/etc/nftables.d/lvsctl-vrrp.nft\"\n"), std::string::npos);
  EXPECT_EQ(add_nft_include(once, kNftIncludePath), once);
  EXPECT_EQ(remove_nft_include(once, kNftIncludePath), conf);
  EXPECT_EQ(remove_nft_include(conf, kNftIncludePath), conf);
}

TEST(FirewallPersistText, IncludeFileInsertsInOrderAfterEnsuringTheChain) {
  ChainReport c;
  c.backend = Backend::Nftables;
  c.family = "inet";
  c.table = "filter";
  c.chain = "input";
  c.action = "insert";
  c.rules = {"ip protocol vrrp accept", "meta nfproto ipv6 meta l4proto vrrp accept"};
  ChainReport skipped = c;
  skipped.action = "not-needed";
  skipped.chain = "other";
  const std::string text = render_nft_include({c, skipped});
  const auto first = text.find("insert rule inet filter input meta nfproto ipv6");
  const auto second = text.find("insert rule inet filter input ip protocol vrrp accept comment \"lvsctl:vrrp\"");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);  // inserted last = ends up first
  EXPECT_LT(text.find("add chain inet filter input\n"), first);
  EXPECT_EQ(text.find("other"), std::string::npos);
}

constexpr const char* kRulesV4 = R"(# saved by hand
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-port-unreachable
-A OUTPUT -j ACCEPT
COMMIT
)";

TEST(FirewallPersistText, IptablesFileGetsOurRuleBeforeTheReject) {
  VrrpRequest req;
  req.interface = "em1";
  const std::string out = update_iptables_file(kRulesV4, AddressFamily::V4, req);
  const std::string ours = "-A INPUT -i em1 -p 112 -m comment --comment lvsctl:vrrp -j ACCEPT\n";
  const auto at = out.find(ours);
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(out.substr(at + ours.size()).rfind("-A INPUT -j REJECT", 0), 0u);
  EXPECT_LT(out.find("-A INPUT -p icmp -j ACCEPT"), at);
  // Nothing else changed, and doing it again changes nothing.
  EXPECT_EQ(strip_iptables_file(out), kRulesV4);
  EXPECT_EQ(update_iptables_file(out, AddressFamily::V4, req), out);
}

TEST(FirewallPersistText, IptablesFileWithoutDropAppendsAfterLastInputRule) {
  const std::string in = "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n";
  const std::string out = update_iptables_file(in, AddressFamily::V4, VrrpRequest{});
  EXPECT_EQ(out,
            "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n"
            "-A INPUT -p 112 -m comment --comment lvsctl:vrrp -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n");
}

TEST(FirewallPersistText, IptablesFileWithoutFilterGetsOne) {
  const std::string out = update_iptables_file("*nat\nCOMMIT\n", AddressFamily::V4, VrrpRequest{});
  EXPECT_EQ(out,
            "*nat\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n"
            "-A INPUT -p 112 -m comment --comment lvsctl:vrrp -j ACCEPT\nCOMMIT\n");
}

}  // namespace
}  // namespace lvsctl::firewall
