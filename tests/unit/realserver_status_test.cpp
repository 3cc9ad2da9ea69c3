// Status evaluation -> LSB codes, and its text/JSON rendering.
#include <gtest/gtest.h>

#include "realserver/dr_sysctls.hpp"
#include "realserver/report.hpp"
#include "realserver/status.hpp"

namespace lvsctl::realserver {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

Observation kernel(const char* ignore, const char* announce,
                   std::vector<const char*> vips_on_lo = {}) {
  Observation o;
  for (const auto& s : dr_sysctls()) {
    o.sysctls[s.key] = s.key.ends_with("arp_ignore") ? ignore : announce;
  }
  o.lo.push_back({1, ip("127.0.0.1"), 8, "lo"});
  int n = 0;
  for (const char* v : vips_on_lo) {
    const auto a = ip(v);
    o.lo.push_back({1, a, a.host_prefix_len(), a.is_v4() ? "lo:" + std::to_string(n++) : ""});
  }
  return o;
}

const std::vector<IpAddress> kVips = {ip("203.0.113.10"), ip("2001:db8::10")};

TEST(RealserverStatus, AllInPlaceIsRunning) {
  const auto r = evaluate_status(kVips, true, kernel("1", "2", {"203.0.113.10", "2001:db8::10"}));
  EXPECT_EQ(r.code, LsbStatus::Running);
  EXPECT_TRUE(r.vips[0].present);
  EXPECT_EQ(r.vips[0].label, "lo:0");
  EXPECT_TRUE(r.sysctls_needed);
  for (const auto& s : r.sysctls) EXPECT_TRUE(s.ok) << s.key;
  EXPECT_EQ(r.summary, "running: 2 of 2 VIPs on lo, ARP sysctls set");
}

TEST(RealserverStatus, RunningEvenWithoutStateWhenEverythingIsThere) {
  EXPECT_EQ(evaluate_status(kVips, false, kernel("1", "2", {"203.0.113.10", "2001:db8::10"})).code,
            LsbStatus::Running);
}

TEST(RealserverStatus, NothingStartedIsStopped) {
  EXPECT_EQ(evaluate_status({}, false, kernel("0", "0")).code, LsbStatus::Stopped);
  EXPECT_EQ(evaluate_status(kVips, false, kernel("0", "0")).code, LsbStatus::Stopped);
  // Sysctls left at 1/2 by someone else do not make it "running".
  EXPECT_EQ(evaluate_status(kVips, false, kernel("1", "2")).code, LsbStatus::Stopped);
}

TEST(RealserverStatus, MissingVipIsPartial) {
  const auto r = evaluate_status(kVips, true, kernel("1", "2", {"203.0.113.10"}));
  EXPECT_EQ(r.code, LsbStatus::Partial);
  EXPECT_FALSE(r.vips[1].present);
  EXPECT_EQ(r.summary, "started but drifted: 1 of 2 VIPs on lo, ARP sysctls set");
}

TEST(RealserverStatus, StartedButNothingLeftIsPartial) {
  EXPECT_EQ(evaluate_status(kVips, true, kernel("0", "0")).code, LsbStatus::Partial);
}

TEST(RealserverStatus, WrongSysctlIsPartial) {
  auto k = kernel("1", "2", {"203.0.113.10", "2001:db8::10"});
  k.sysctls["net.ipv4.conf.all.arp_announce"] = "0";
  const auto r = evaluate_status(kVips, true, k);
  EXPECT_EQ(r.code, LsbStatus::Partial);
  EXPECT_EQ(r.summary, "started but drifted: 2 of 2 VIPs on lo, 1 ARP sysctl not as DR needs");
}

TEST(RealserverStatus, Ipv6OnlyIgnoresArpSysctls) {
  const auto r = evaluate_status({ip("2001:db8::10")}, true, kernel("0", "0", {"2001:db8::10"}));
  EXPECT_EQ(r.code, LsbStatus::Running);
  EXPECT_FALSE(r.sysctls_needed);
}

TEST(RealserverStatus, PartlyInPlaceWithoutState) {
  EXPECT_EQ(evaluate_status(kVips, false, kernel("1", "2", {"2001:db8::10"})).code,
            LsbStatus::Partial);
}

TEST(RealserverReport, TextNamesEveryVipAndSysctl) {
  const auto text = render_text(evaluate_status(kVips, true, kernel("1", "0", {"203.0.113.10"})));
  EXPECT_NE(text.find("203.0.113.10"), std::string::npos);
  EXPECT_NE(text.find("present (lo:0)"), std::string::npos);
  EXPECT_NE(text.find("MISSING"), std::string::npos);
  EXPECT_NE(text.find("net.ipv4.conf.all.arp_announce = 0   WRONG (DR needs 2)"), std::string::npos)
      << text;
}

// JsonWriter's layout (indentation, a space after ':') removed: the checks read the content.
std::string compact(const std::string& json) {
  std::string out;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\n') {
      continue;
    }
    out += c;
  }
  return out;
}

TEST(RealserverReport, JsonIsCompleteAndEscaped) {
  const auto written = render_json(evaluate_status(kVips, true, kernel("1", "2", {"203.0.113.10"})));
  EXPECT_EQ(written.back(), '\n');
  const auto json = compact(written);
  EXPECT_EQ(json.rfind("{\"status\":\"partial\",\"code\":1,\"started\":true,", 0), 0u) << json;
  EXPECT_NE(json.find("{\"address\":\"203.0.113.10\",\"family\":\"ipv4\",\"present\":true,"
                      "\"label\":\"lo:0\"}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"address\":\"2001:db8::10\",\"family\":\"ipv6\",\"present\":false,"
                      "\"label\":\"\"}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"key\":\"net.ipv4.conf.all.arp_ignore\",\"value\":\"1\",\"wanted\":\"1\","
                      "\"ok\":true}"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace lvsctl::realserver
