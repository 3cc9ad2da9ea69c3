// Golden tests of the VRRP codec against adverts captured from keepalived 2.2.7
// (tests/data/vrrp/*.pcap), cross-checked with tcpdump's own decoding of the same packets
// (*.txt), plus one test per rejection reason.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/multicast_group.hpp"
#include "shared/internet_checksum.hpp"
#include "tests/unit/vrrp_pcap.hpp"

namespace lvsctl::director::vrrp {
namespace {

const std::string kDataDir = std::string(LVSCTL_TESTDATA_DIR) + "/vrrp/";

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }

// What tcpdump printed for one VRRP packet.
struct TcpdumpLine {
  std::string source, destination, auth;
  int version = 0, vrid = 0, priority = 0, interval_cs = 0;
  std::string addresses;
  bool has_auth = false;
};

std::vector<TcpdumpLine> read_tcpdump_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  const std::regex re(
      R"re((\S+) > (\S+): VRRPv(\d), Advertisement, vrid (\d+), prio (\d+), (?:authtype \w+, )?)re"
      R"re(intvl (\d+)(s|cs), length \d+, addrs: (\S+)(?: auth "([^"]*)")?)re");
  std::vector<TcpdumpLine> out;
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, m, re)) continue;
    TcpdumpLine t;
    t.source = m[1];
    t.destination = m[2];
    t.version = std::stoi(m[3]);
    t.vrid = std::stoi(m[4]);
    t.priority = std::stoi(m[5]);
    t.interval_cs = std::stoi(m[6]) * (m[7] == "s" ? 100 : 1);
    t.addresses = m[8];
    t.has_auth = m[9].matched;
    t.auth = m[9];
    out.push_back(t);
  }
  return out;
}

std::vector<test::PcapFrame> ipv4_frames(const std::string& pcap) {
  std::vector<test::PcapFrame> out;
  for (auto& f : test::read_pcap(kDataDir + pcap)) {
    if (f.ethertype() == 0x0800) out.push_back(std::move(f));
  }
  return out;
}

void check_golden(const std::string& name, int expected_count) {
  const auto frames = ipv4_frames(name + ".pcap");
  const auto lines = read_tcpdump_text(kDataDir + name + ".txt");
  ASSERT_EQ(frames.size(), static_cast<std::size_t>(expected_count));
  ASSERT_EQ(lines.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE(name + " packet " + std::to_string(i));
    const auto packet = frames[i].payload();
    const auto r = decode(packet);
    ASSERT_TRUE(r.ok()) << r.rejection().text();
    const Advert& a = r.value();
    const TcpdumpLine& t = lines[i];
    ASSERT_TRUE(a.source && a.destination);
    EXPECT_EQ(a.source->to_string(), t.source);
    EXPECT_EQ(a.destination->to_string(), t.destination);
    EXPECT_EQ(a.version, t.version);
    EXPECT_EQ(a.vrid, t.vrid);
    EXPECT_EQ(a.priority, t.priority);
    EXPECT_EQ(a.interval_cs, t.interval_cs);
    ASSERT_EQ(a.addresses.size(), 1u);
    EXPECT_EQ(a.addresses[0].to_string(), t.addresses);
    EXPECT_EQ(a.hop_limit, 255);
    if (t.has_auth) {
      EXPECT_EQ(a.auth_type, AuthType::pass);
      EXPECT_EQ(pass_text(a), t.auth);
    }

    // Re-encode byte for byte: the message alone, and the whole IP packet with keepalived's id.
    const std::size_t ip_len = static_cast<std::size_t>(packet[2] << 8 | packet[3]);
    const uint16_t ip_id = static_cast<uint16_t>(packet[4] << 8 | packet[5]);
    const std::vector<uint8_t> want(packet.begin(), packet.begin() + static_cast<long>(ip_len));
    EXPECT_EQ(encode_ip_packet(a, ip_id), want);
    EXPECT_EQ(encode(a), std::vector<uint8_t>(want.begin() + 20, want.end()));
  }
}

TEST(VrrpAdvertGolden, V2PassAuthFromKeepalivedDecodesAndReencodesByteIdentical) {
  check_golden("vrrp_v2", 8);
}

TEST(VrrpAdvertGolden, V3FromKeepalivedDecodesAndReencodesByteIdentical) {
  check_golden("vrrp_v3", 8);
}

TEST(VrrpAdvertGolden, AdvertBuiltFromConfigMatchesKeepalivedsPacket) {
  // What the runtime will build from `virtual_router_id 100, priority 100, advert_int 1,
  // auth_type PASS, auth_pass 12345, virtual_ipaddress { 203.0.113.100 }`.
  Advert a;
  a.version = 2;
  a.vrid = 100;
  a.priority = 100;
  a.interval_cs = 100;
  a.auth_type = AuthType::pass;
  a.auth_data = pass_auth_data("12345");
  a.addresses = {ip("203.0.113.100")};
  a.source = ip("203.0.113.104");
  a.destination = vrrp_group_v4();
  const auto frames = ipv4_frames("vrrp_v2.pcap");
  const auto& master_frame = frames.at(3);  // first advert of .104, IP id 1
  const auto want = master_frame.payload();
  EXPECT_EQ(encode_ip_packet(a, 1), std::vector<uint8_t>(want.begin(), want.end()));
}

// A valid v2 packet to break in the tests below.
std::vector<uint8_t> v2_packet() {
  const auto frames = ipv4_frames("vrrp_v2.pcap");
  const auto p = frames.at(0).payload();
  return {p.begin(), p.end()};
}

std::vector<uint8_t> v3_packet() {
  const auto frames = ipv4_frames("vrrp_v3.pcap");
  const auto p = frames.at(0).payload();
  return {p.begin(), p.end()};
}

void fix_ip_checksum(std::vector<uint8_t>& p) {
  p[10] = p[11] = 0;
  uint32_t sum = 0;
  for (std::size_t i = 0; i < 20; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  p[10] = static_cast<uint8_t>(~sum >> 8);
  p[11] = static_cast<uint8_t>(~sum);
}

Reject reason_of(const std::vector<uint8_t>& p, const DecodeOptions& o = {}) {
  const auto r = decode(p, o);
  EXPECT_FALSE(r.ok()) << "accepted a packet that should be rejected";
  return r.ok() ? Reject::truncated : r.rejection().reason;
}

TEST(VrrpAdvertReject, TtlNot255) {
  auto p = v2_packet();
  p[8] = 64;
  fix_ip_checksum(p);
  const auto r = decode(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.rejection().reason, Reject::bad_hop_limit);
  EXPECT_EQ(r.rejection().text(), "bad TTL/hop limit: TTL 64");
  DecodeOptions unicast;
  unicast.check_hop_limit = false;
  EXPECT_TRUE(decode(p, unicast).ok());
}

TEST(VrrpAdvertReject, WrongVersionAndType) {
  auto p = v2_packet();
  p[20] = 0x11;  // version 1
  EXPECT_EQ(reason_of(p), Reject::wrong_version);
  p[20] = 0x22;  // v2, type 2
  EXPECT_EQ(reason_of(p), Reject::wrong_type);
}

TEST(VrrpAdvertReject, BadVrrpChecksumV2AndV3) {
  auto p = v2_packet();
  p[22] ^= 1;  // priority changed, checksum not
  EXPECT_EQ(reason_of(p), Reject::bad_checksum);
  auto q = v3_packet();
  q[12] ^= 1;  // source address changed: only the v3 pseudo-header notices
  fix_ip_checksum(q);
  EXPECT_EQ(reason_of(q), Reject::bad_checksum);
  auto v2 = v2_packet();
  v2[12] ^= 1;  // the v2 checksum does not cover the IP addresses
  fix_ip_checksum(v2);
  EXPECT_TRUE(decode(v2).ok());
}

TEST(VrrpAdvertReject, BadIpHeaderChecksum) {
  auto p = v2_packet();
  p[10] ^= 0xff;
  EXPECT_EQ(reason_of(p), Reject::bad_ip_header);
}

TEST(VrrpAdvertReject, CountDisagreesWithLength) {
  auto p = v2_packet();
  p[23] = 2;  // two addresses claimed, one present
  EXPECT_EQ(reason_of(p), Reject::length_mismatch);
}

TEST(VrrpAdvertReject, TruncatedAndNotVrrp) {
  auto p = v2_packet();
  p.resize(30);
  EXPECT_EQ(reason_of(p), Reject::truncated);
  auto q = v2_packet();
  q[9] = 17;
  fix_ip_checksum(q);
  EXPECT_EQ(reason_of(q), Reject::not_vrrp);
  EXPECT_EQ(reason_of({}), Reject::truncated);
}

TEST(VrrpAdvert, EthernetPaddingAfterTheIpPacketIsIgnored) {
  auto p = v3_packet();
  p.resize(46, 0);  // padded to the 60-byte Ethernet minimum
  EXPECT_TRUE(decode(p).ok());
}

Expectation ours_v2() {
  Expectation x;
  x.version = 2;
  x.vrid = 100;
  x.auth_type = AuthType::pass;
  x.auth_data = pass_auth_data("12345");
  x.interval_cs = 100;
  x.addresses = {ip("203.0.113.100")};
  return x;
}

TEST(VrrpAdvertExpect, MatchingPeerIsAccepted) {
  const Expectation x = ours_v2();
  DecodeOptions o;
  o.expect = &x;
  const auto r = decode(v2_packet(), o);
  ASSERT_TRUE(r.ok()) << r.rejection().text();
  EXPECT_FALSE(r.warning.has_value());
}

TEST(VrrpAdvertExpect, WrongPasswordIsRejectedWithoutShowingIt) {
  Expectation x = ours_v2();
  x.auth_data = pass_auth_data("secret");
  DecodeOptions o;
  o.expect = &x;
  const auto r = decode(v2_packet(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.rejection().reason, Reject::auth_mismatch);
  EXPECT_EQ(r.rejection().text().find("12345"), std::string::npos);
}

TEST(VrrpAdvertExpect, WrongAuthTypeVridVersionInterval) {
  DecodeOptions o;
  Expectation x = ours_v2();
  o.expect = &x;
  x.auth_type = AuthType::none;
  EXPECT_EQ(reason_of(v2_packet(), o), Reject::auth_type_mismatch);
  x = ours_v2();
  x.vrid = 51;
  EXPECT_EQ(reason_of(v2_packet(), o), Reject::wrong_vrid);
  x = ours_v2();
  x.version = 3;
  EXPECT_EQ(reason_of(v2_packet(), o), Reject::wrong_version);
  x = ours_v2();
  x.interval_cs = 200;
  EXPECT_EQ(reason_of(v2_packet(), o), Reject::interval_mismatch);
}

TEST(VrrpAdvertExpect, V3IntervalMismatchIsAcceptedTheBackupAdoptsIt) {
  Expectation x;
  x.version = 3;
  x.vrid = 100;
  x.interval_cs = 100;  // ours 1 s, the master sends 0.1 s
  x.addresses = {ip("203.0.113.100")};
  DecodeOptions o;
  o.expect = &x;
  const auto r = decode(v3_packet(), o);
  ASSERT_TRUE(r.ok()) << r.rejection().text();
  EXPECT_EQ(r->interval_cs, 10);
}

TEST(VrrpAdvertExpect, AddressListMismatchWarnsLikeKeepalivedOrRejectsWhenStrict) {
  Expectation x = ours_v2();
  x.addresses = {ip("203.0.113.100"), ip("203.0.113.101")};
  DecodeOptions o;
  o.expect = &x;
  const auto r = decode(v2_packet(), o);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.warning.has_value());
  EXPECT_EQ(r.warning->reason, Reject::address_list_mismatch);
  EXPECT_EQ(r.warning->text(),
            "address list mismatch: advertised 203.0.113.100, ours 203.0.113.100,203.0.113.101");
  x.reject_address_mismatch = true;
  EXPECT_EQ(reason_of(v2_packet(), o), Reject::address_list_mismatch);
}

TEST(VrrpAdvertExpect, AddressOrderDoesNotMatter) {
  Advert a;
  a.version = 3;
  a.vrid = 7;
  a.priority = 90;
  a.interval_cs = 50;
  a.addresses = {ip("203.0.113.2"), ip("203.0.113.1")};
  a.source = ip("203.0.113.10");
  a.destination = vrrp_group_v4();
  Expectation x;
  x.version = 3;
  x.vrid = 7;
  x.addresses = {ip("203.0.113.1"), ip("203.0.113.2")};
  DecodeOptions o;
  o.expect = &x;
  const auto r = decode(encode_ip_packet(a, 9), o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.warning.has_value());
}

Advert v3_ipv6_advert() {
  Advert a;
  a.version = 3;
  a.vrid = 42;
  a.priority = 200;
  a.interval_cs = 25;
  a.addresses = {ip("2001:db8::100"), ip("2001:db8::101")};
  a.source = ip("fe80::1");
  a.destination = vrrp_group_v6();
  return a;
}

TEST(VrrpAdvertV6, RoundTripThroughAnIpv6Packet) {
  const Advert a = v3_ipv6_advert();
  const auto packet = encode_ip_packet(a);
  ASSERT_EQ(packet.size(), 40u + 8u + 32u);
  EXPECT_EQ(packet[0], 0x6c);  // version 6, traffic class 0xc0
  EXPECT_EQ(packet[7], 255);
  const auto r = decode(packet);
  ASSERT_TRUE(r.ok()) << r.rejection().text();
  Advert want = a;
  want.checksum = r->checksum;
  EXPECT_EQ(r.value(), want);
}

TEST(VrrpAdvertV6, BareMessageUsesTheContextForTheChecksum) {
  const Advert a = v3_ipv6_advert();
  const auto msg = encode(a);
  DecodeOptions o;
  o.context.source = a.source;
  o.context.destination = a.destination;
  o.context.hop_limit = 255;
  EXPECT_TRUE(decode(msg, o).ok());
  o.context.source = ip("fe80::2");  // a different sender: the pseudo-header no longer matches
  EXPECT_EQ(reason_of(msg, o), Reject::bad_checksum);
  o.context.checksum_checked = true;  // unless the kernel already verified it
  EXPECT_TRUE(decode(msg, o).ok());
  o.context.hop_limit = 1;
  EXPECT_EQ(reason_of(msg, o), Reject::bad_hop_limit);
}

TEST(VrrpAdvertV6, Version2OverIpv6IsRejected) {
  const Advert a = v3_ipv6_advert();
  auto packet = encode_ip_packet(a);
  packet[40] = 0x21;
  EXPECT_EQ(reason_of(packet), Reject::wrong_version);
}

TEST(VrrpChecksum, PiecesOfAnyLengthSumLikeOneBuffer) {
  std::vector<uint8_t> data(301);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 37 + 11);
  InternetChecksum whole;
  whole.add(data);
  for (std::size_t cut1 : {0u, 1u, 3u, 150u}) {
    for (std::size_t cut2 : {cut1, cut1 + 1, cut1 + 7, std::size_t{300}}) {
      InternetChecksum pieces;
      const std::span<const uint8_t> all(data);
      pieces.add(all.subspan(0, cut1));
      pieces.add(all.subspan(cut1, cut2 - cut1));
      pieces.add(all.subspan(cut2));
      EXPECT_EQ(pieces.value(), whole.value()) << cut1 << "/" << cut2;
    }
  }
  // RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, checksum 0x220d.
  InternetChecksum rfc;
  rfc.add(std::vector<uint8_t>{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
  EXPECT_EQ(rfc.value(), 0x220d);
}

TEST(VrrpAdvert, PassPasswordIsTruncatedToEightBytes) {
  const auto d = pass_auth_data("0123456789");
  EXPECT_EQ(std::string(d.begin(), d.end()), "01234567");
  Advert a;
  a.auth_type = AuthType::pass;
  a.auth_data = pass_auth_data("abc");
  EXPECT_EQ(pass_text(a), "abc");
}

}  // namespace
}  // namespace lvsctl::director::vrrp
