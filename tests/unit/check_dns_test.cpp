// DNS_CHECK's pure parts: its keywords, keepalived 2.2.7's defaults (type SOA, name ".", retry 3,
// delay_before_retry = delay_loop), bad values as errors with their place, the JSON and summary
// of the model, and its retry semantics (retried while up only, as check_dns.c's dns_final).
#include <gtest/gtest.h>

#include "director/check/checker_state.hpp"
#include "director/check/dns_message.hpp"
#include "director/check/from_config.hpp"
#include "director/config/dns_names.hpp"
#include "director/config/json.hpp"
#include "director/config/load.hpp"
#include "director/config/summary.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

class NoIncludes : public conf::SourceReader {
 public:
  Result<std::string> read(const std::string& path) override { return Error{"no file " + path}; }
  std::vector<std::string> glob(const std::string&) override { return {}; }
};

config::ParsedConfig parse(const std::string& checker_block, const std::string& rs_extra = "") {
  const std::string text = "virtual_server 203.0.113.100 53 {\n  delay_loop 7\n  lvs_method NAT\n"
                           "  protocol UDP\n  real_server 203.0.113.101 5353 {\n" + rs_extra +
                           checker_block + "\n  }\n}\n";
  NoIncludes reader;
  return config::parse_config(text, "dns.conf", reader);
}

std::string errors(const config::ParsedConfig& p) {
  std::string out;
  for (const auto& d : p.diags) {
    if (d.severity == conf::Severity::Error) out += conf::format(d) + "\n";
  }
  return out;
}

const Checker& only_checker(const config::ParsedConfig& p) {
  static CheckPlan plan;
  plan = check_plan(p.config);
  return plan.servers.at(0).checkers.at(0);
}

TEST(DnsCheckConfig, KeepalivedDefaults) {
  auto p = parse("    DNS_CHECK {\n    }");
  ASSERT_EQ(errors(p), "");
  const Checker& c = only_checker(p);
  EXPECT_EQ(c.kind, CheckerKind::Dns);
  EXPECT_EQ(to_string(c.connect), "203.0.113.101:5353");  // the real server's port, as keepalived
  EXPECT_EQ(c.retry, 3U);
  EXPECT_EQ(c.delay_loop, 7s);
  EXPECT_EQ(c.delay_before_retry, 7s);  // check_dns.c: delay_before_retry defaults to delay_loop
  EXPECT_EQ(c.connect_timeout, 5s);
  EXPECT_FALSE(c.bind_port);
  const auto& d = std::get<config::DnsCheck>(c.spec);
  EXPECT_EQ(config::dns_type_name(d.type), "SOA");
  EXPECT_EQ(d.name, ".");

  const Checker built = default_checker(CheckerKind::Dns);
  EXPECT_EQ(built.retry, 3U);
  EXPECT_EQ(built.delay_before_retry, built.delay_loop);
  EXPECT_EQ(std::get<config::DnsCheck>(built.spec).name, ".");
}

TEST(DnsCheckConfig, KeywordsAndInheritance) {
  auto p = parse("    DNS_CHECK {\n      type aaaa\n      name www.example.test.\n      connect_ip 203.0.113.9\n"
                 "      connect_port 53\n      bindto 203.0.113.104\n      bind_port 5300\n      connect_timeout 2\n"
                 "      retry 1\n      delay_loop 3\n      warmup 0\n    }");
  ASSERT_EQ(errors(p), "");
  const Checker& c = only_checker(p);
  EXPECT_EQ(to_string(c.connect), "203.0.113.9:53");
  EXPECT_EQ(c.bindto->to_string(), "203.0.113.104");
  EXPECT_EQ(c.bind_port, 5300);
  EXPECT_EQ(c.connect_timeout, 2s);
  EXPECT_EQ(c.retry, 1U);
  EXPECT_EQ(c.delay_loop, 3s);
  EXPECT_EQ(c.delay_before_retry, 3s);  // follows the checker's own delay_loop
  EXPECT_EQ(c.warmup, 0s);
  const auto& d = std::get<config::DnsCheck>(c.spec);
  EXPECT_EQ(d.type, 28);
  EXPECT_EQ(d.name, "www.example.test.");
  for (const char* t : {"A", "ns", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY"}) {
    auto q = parse(std::string("    DNS_CHECK {\n      type ") + t + "\n    }");
    EXPECT_EQ(errors(q), "") << t;
  }

  // A delay_before_retry of the real server wins over the delay_loop default.
  auto r = parse("    DNS_CHECK {\n    }", "    delay_before_retry 2\n");
  ASSERT_EQ(errors(r), "");
  EXPECT_EQ(only_checker(r).delay_before_retry, 2s);
  // An empty name is the root, as keepalived's default "".
  auto e = parse("    DNS_CHECK {\n      name \"\"\n    }");
  ASSERT_EQ(errors(e), "");
  EXPECT_EQ(std::get<config::DnsCheck>(only_checker(e).spec).name, ".");
}

TEST(DnsCheckConfig, BadValuesAreErrorsWithTheirPlace) {
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      type PTR\n    }"))
                .find("dns.conf:7:12: error: DNS_CHECK 'type' value 'PTR' is not one of A, NS, CNAME, "
                      "SOA, MX, TXT, AAAA, RRSIG, DNSKEY"),
            std::string::npos)
      << errors(parse("    DNS_CHECK {\n      type PTR\n    }"));
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      name a..test\n    }"))
                .find("dns.conf:7:12: error: DNS_CHECK 'name': DNS name 'a..test' has an empty label"),
            std::string::npos);
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      name .test\n    }")).find("has an empty label"), std::string::npos);
  const std::string long_label(64, 'x');
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      name " + long_label + ".test\n    }"))
                .find("has a label of 64 octets (at most 63)"),
            std::string::npos);
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      name " + long_name + "\n    }")).find("longer than 255 octets"),
            std::string::npos);
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      name a.test\n      name b.test\n    }"))
                .find("dns.conf:8:7: error: DNS_CHECK 'name' given twice (first at line 7)"),
            std::string::npos);
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      bind_port 70000\n    }")), "");
  EXPECT_NE(errors(parse("    DNS_CHECK {\n      type\n    }")), "");
}

TEST(DnsCheckConfig, JsonAndSummaryShowTheQuery) {
  auto p = parse("    DNS_CHECK {\n      type MX\n      name example.test\n      bind_port 5300\n    }");
  ASSERT_EQ(errors(p), "");
  const std::string json = config::to_json(p.config);
  EXPECT_NE(json.find("\"type\": \"DNS_CHECK\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"dns_type\": \"MX\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"dns_name\": \"example.test\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"bind_port\": 5300"), std::string::npos) << json;
  const std::string summary = config::summarize(p.config);
  EXPECT_NE(summary.find("DNS_CHECK 203.0.113.101:5353 connect_timeout 5s retry 3 delay_before_retry 7s "
                         "type MX name example.test"),
            std::string::npos)
      << summary;
}

TEST(DnsCheckQuery, TheConfiguredNameAndTypeAreAsked) {
  const auto q = encode_dns_query(7, "www.example.test.", 28);
  ASSERT_TRUE(q);
  const std::vector<std::uint8_t> name{3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0};
  EXPECT_TRUE(std::equal(name.begin(), name.end(), q->begin() + 12));
  EXPECT_EQ((*q)[q->size() - 3], 28);
  EXPECT_EQ(dns_type_name(48), "DNSKEY");
}

// check_dns.c's dns_final: failures are retried (delay_before_retry apart) while up; a down
// checker is probed once per delay_loop and comes back at its first success.
TEST(DnsCheckState, RetriedWhileUpOnly) {
  Checker c = default_checker(CheckerKind::Dns);
  c.delay_loop = 5s;
  c.delay_before_retry = 1s;
  CheckerState s(c, CheckerStart::Reload);
  const ProbeResult down = ProbeResult::down("DNS answer rcode REFUSED");
  std::vector<long> ms;
  for (int i = 0; i < 6; ++i) {
    const auto step = s.record(down);
    ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(step.next_delay).count());
    if (i < 3) {
      EXPECT_FALSE(step.became_up.has_value()) << i;
    }
    if (i == 3) {
      EXPECT_EQ(step.became_up, false);
    }
  }
  EXPECT_EQ(ms, (std::vector<long>{1000, 1000, 1000, 5000, 5000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(ProbeResult::up("DNS answer NOERROR with 1 records"));
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

}  // namespace
}  // namespace lvsctl::director::check
