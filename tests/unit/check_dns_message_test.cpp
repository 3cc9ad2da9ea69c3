// DNS_CHECK's pure codec: the query bytes (RFC 1035) and the judgement of answers: another id or
// a query is not ours (keep waiting); a non-zero rcode or another question is a bad answer.
#include <gtest/gtest.h>

#include "director/check/dns_message.hpp"

namespace lvsctl::director::check {
namespace {

std::vector<std::uint8_t> query(std::string_view name = "example.test", std::uint16_t type = 6) {
  auto q = encode_dns_query(0x1234, name, type);
  EXPECT_TRUE(q) << q.error().message;
  return *q;
}

// The query turned into a response: QR set, rcode, `answers` in ANCOUNT (no records follow).
std::vector<std::uint8_t> response(std::vector<std::uint8_t> q, unsigned rcode = 0, std::uint8_t answers = 1) {
  q[2] = static_cast<std::uint8_t>(q[2] | 0x80);
  q[3] = static_cast<std::uint8_t>((q[3] & 0xf0) | rcode);
  q[7] = answers;
  return q;
}

TEST(DnsQuery, BytesOfASoaQuery) {
  const std::vector<std::uint8_t> want{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                       7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0,
                                       0, 6, 0, 1};
  EXPECT_EQ(query("example.test"), want);
  EXPECT_EQ(query("example.test."), want);
  const auto root = query(".");
  EXPECT_EQ(root.size(), 12U + 1 + 4);
  EXPECT_EQ(root[12], 0);
}

TEST(DnsQuery, BadNamesAreErrors) {
  EXPECT_FALSE(encode_dns_query(1, "a..b", 1));
  EXPECT_FALSE(encode_dns_query(1, std::string(64, 'a') + ".test", 1));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  EXPECT_FALSE(encode_dns_query(1, long_name, 1));
}

TEST(DnsTypes, KeepalivedNames) {
  EXPECT_EQ(dns_type_from_name("soa"), 6);
  EXPECT_EQ(dns_type_from_name("AAAA"), 28);
  EXPECT_FALSE(dns_type_from_name("PTR"));
  EXPECT_EQ(dns_type_name(15), "MX");
  EXPECT_EQ(dns_type_name(99), "TYPE99");
}

TEST(DnsAnswer, GoodAnswer) {
  const auto q = query();
  const auto j = judge_dns_answer(q, response(q));
  EXPECT_EQ(j.verdict, DnsVerdict::Good) << j.reason;
  auto upper = response(q);
  upper[13] = 'E';  // names compare case-insensitively
  EXPECT_EQ(judge_dns_answer(q, upper).verdict, DnsVerdict::Good);
}

TEST(DnsAnswer, OtherIdShortOrQueryIsNotOurs) {
  const auto q = query();
  auto other = response(q);
  other[1] ^= 1;
  EXPECT_EQ(judge_dns_answer(q, other).verdict, DnsVerdict::NotOurs);
  EXPECT_EQ(judge_dns_answer(q, q).verdict, DnsVerdict::NotOurs);
  EXPECT_EQ(judge_dns_answer(q, std::span(q).first(11)).verdict, DnsVerdict::NotOurs);
}

TEST(DnsAnswer, RcodeAndQuestionAreChecked) {
  const auto q = query();
  auto j = judge_dns_answer(q, response(q, 2));
  EXPECT_EQ(j.verdict, DnsVerdict::Bad);
  EXPECT_EQ(j.reason, "DNS answer rcode SERVFAIL");
  EXPECT_EQ(judge_dns_answer(q, response(q, 3)).reason, "DNS answer rcode NXDOMAIN");
  const auto other_type = response(query("example.test", 1));
  auto mixed = other_type;
  mixed[0] = 0x12;
  mixed[1] = 0x34;
  j = judge_dns_answer(q, mixed);
  EXPECT_EQ(j.verdict, DnsVerdict::Bad);
  EXPECT_EQ(j.reason, "DNS answer is for example.test A, not example.test SOA");
  auto cut = response(q);
  cut.resize(20);  // the question ends before its name does
  EXPECT_EQ(judge_dns_answer(q, cut).reason, "DNS answer's question is malformed");
}

TEST(DnsAnswer, CompressionLoopsAreMalformedNotHangs) {
  const auto q = query();
  const auto full = response(q);
  std::vector<std::uint8_t> a(full.begin(), full.begin() + 12);
  a.push_back(0xc0);
  a.push_back(12);  // a pointer to itself
  a.insert(a.end(), {0, 6, 0, 1});
  EXPECT_EQ(judge_dns_answer(q, a).reason, "DNS answer's question is malformed");
}

}  // namespace
}  // namespace lvsctl::director::check
