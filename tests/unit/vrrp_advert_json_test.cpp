// `director watch --json`: one object per line, parseable, with the advert's fields.
#include <gtest/gtest.h>

#include "director/vrrp/advert_json.hpp"
#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

WireContext at() {
  // 2026-12-02T14:10:00.012345Z
  return {std::chrono::system_clock::time_point(std::chrono::microseconds(1796220600012345LL)),
          "eth0", false};
}

TEST(AdvertJson, V2PassAdvertOnOneLine) {
  Advert a;
  a.version = 2;
  a.vrid = 100;
  a.priority = 150;
  a.interval_cs = 100;
  a.auth_type = AuthType::pass;
  a.auth_data = pass_auth_data("12345");
  a.addresses = {ip("203.0.113.100"), ip("203.0.113.101")};
  a.source = ip("203.0.113.104");
  a.destination = vrrp_group_v4();
  EXPECT_EQ(advert_json(at(), a),
            "{\"time\":\"2026-12-02T14:10:00.012345Z\",\"interface\":\"eth0\",\"direction\":"
            "\"in\",\"event\":\"advert\",\"source\":\"203.0.113.104\",\"destination\":"
            "\"224.0.0.18\",\"version\":2,\"vrid\":100,\"priority\":150,\"interval_s\":1.00,"
            "\"auth\":\"PASS\",\"auth_pass\":\"12345\",\"addresses\":[\"203.0.113.100\","
            "\"203.0.113.101\"]}\n");
}

TEST(AdvertJson, V3HasNoAuthAndFractionalInterval) {
  Advert a;
  a.version = 3;
  a.vrid = 7;
  a.priority = 0;
  a.interval_cs = 5;
  a.addresses = {ip("2001:db8::1")};
  a.source = ip("fe80::1");
  a.destination = ip("ff02::12");
  WireContext out = at();
  out.outgoing = true;
  const auto line = advert_json(out, a);
  EXPECT_NE(line.find("\"direction\":\"out\""), std::string::npos);
  EXPECT_NE(line.find("\"interval_s\":0.05,"), std::string::npos);
  EXPECT_EQ(line.find("auth"), std::string::npos);
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
}

TEST(AdvertJson, RejectionAndConflictEscapeText) {
  const auto r = rejection_json(at(), Rejection{Reject::bad_hop_limit, "TTL 64 \"x\""});
  EXPECT_NE(r.find("\"event\":\"rejected\""), std::string::npos);
  EXPECT_NE(r.find("TTL 64 \\\"x\\\""), std::string::npos);
  MasterConflict c{100, 2, ip("203.0.113.1"), 100, ip("203.0.113.2"), 50};
  EXPECT_EQ(conflict_json(at(), c),
            "{\"time\":\"2026-12-02T14:10:00.012345Z\",\"interface\":\"eth0\",\"direction\":"
            "\"in\",\"event\":\"two_masters\",\"vrid\":100,\"version\":2,\"first\":"
            "\"203.0.113.1\",\"first_priority\":100,\"second\":\"203.0.113.2\","
            "\"second_priority\":50}\n");
}

}  // namespace
}  // namespace lvsctl::director::vrrp
