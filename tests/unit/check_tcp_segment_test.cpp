// The SYN probe's segments as values: the SYN's bytes and checksum (known answer computed by an
// independent implementation, Python's struct + RFC 1071 sum), answers read from whole IPv4
// packets, everything else rejected, and the BPF program run on a small interpreter of the
// instructions it uses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "director/check/tcp_segment.hpp"

namespace lvsctl::director::check {
namespace {

constexpr Ipv4 kProbeSource = 0xc6336401;  // 198.51.100.1
constexpr Ipv4 kServer = 0xcb00710a;       // 203.0.113.10

std::vector<std::uint8_t> hex(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits += c;
  }
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(TcpSegment, SynBytesAndChecksumKnownAnswer) {
  const auto syn = encode_syn(SynSegment{kProbeSource, kServer, 40000, 80, 0x12345678});
  // sport 40000, dport 80, seq, ack 0, doff 6, SYN, window 64240, checksum 0x31b9, urg 0, MSS 1460.
  EXPECT_EQ(std::vector<std::uint8_t>(syn.begin(), syn.end()),
            hex("9c400050 12345678 00000000 6002faf0 31b90000 020405b4"));
  EXPECT_EQ(tcp_checksum(kProbeSource, kServer, syn), 0);  // verifies as the receiver does
}

TEST(TcpSegment, ChecksumCoversThePseudoHeader) {
  const auto syn = encode_syn(SynSegment{kProbeSource, kServer, 40000, 80, 1});
  EXPECT_NE(tcp_checksum(kProbeSource + 1, kServer, syn), 0);  // sent from another address
  EXPECT_NE(tcp_checksum(kProbeSource, kServer + 1, syn), 0);
  const auto other = encode_syn(SynSegment{kProbeSource, kServer, 40000, 80, 2});
  EXPECT_NE(syn, other);
  EXPECT_EQ(tcp_checksum(kProbeSource, kServer, other), 0);
}

TEST(TcpSegment, ChecksumOfOddLength) {
  // RFC 1071: an odd last byte is padded with a zero byte.
  const std::vector<std::uint8_t> odd = {0x01, 0x02, 0x03};
  const std::vector<std::uint8_t> padded = {0x01, 0x02, 0x03, 0x00};
  // Same sum of words; the pseudo-header's length differs by one.
  EXPECT_EQ(static_cast<std::uint16_t>(tcp_checksum(0, 0, odd) - 1), tcp_checksum(0, 0, padded));
}

// A SYN-ACK from 203.0.113.10:80 to 198.51.100.1:40000 acknowledging 0x12345678 (+1), with the
// options Linux sends (MSS, SACK permitted, timestamps, window scale): IPv4 header, then TCP.
const char* const kSynAck =
    "4500003c 00004000 4006 0000 cb00710a c6336401"
    "0050 9c40 a1b2c3d4 12345679 a012 fe88 0000 0000 020405b4 0402080a 00000001 00000000 01030307";
// The RST+ACK a closed port sends: seq 0, ack = the SYN's sequence + 1.
const char* const kReset =
    "45000028 00004000 4006 0000 cb00710a c6336401"
    "0050 9c40 00000000 12345679 5014 0000 0000 0000";

TEST(TcpSegment, DecodesSynAck) {
  const auto a = decode_answer(hex(kSynAck));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, AnswerKind::SynAck);
  EXPECT_EQ(a->from, kServer);
  EXPECT_EQ(a->from_port, 80);
  EXPECT_EQ(a->to, kProbeSource);
  EXPECT_EQ(a->to_port, 40000);
  EXPECT_EQ(a->acknowledges, 0x12345678u);
}

TEST(TcpSegment, DecodesReset) {
  const auto a = decode_answer(hex(kReset));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, AnswerKind::Reset);
  EXPECT_EQ(a->from, kServer);
  EXPECT_EQ(a->to_port, 40000);
  EXPECT_EQ(a->acknowledges, 0x12345678u);
}

TEST(TcpSegment, DecodesAfterIpOptions) {
  // IHL 6: one 4-byte IPv4 option (NOPs + EOL) before the TCP header.
  const auto a =
      decode_answer(hex("46000040 00004000 4006 0000 cb00710a c6336401 01010100"
                        "0050 9c40 a1b2c3d4 00000001 5012 fe88 0000 0000"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, AnswerKind::SynAck);
  EXPECT_EQ(a->acknowledges, 0u);
  EXPECT_EQ(a->to_port, 40000);
}

TEST(TcpSegment, RejectsShortAndGarbage) {
  const auto reset = hex(kReset);
  EXPECT_FALSE(decode_answer({}).has_value());
  EXPECT_FALSE(decode_answer(std::span(reset).first(19)).has_value());  // short IPv4 header
  EXPECT_FALSE(decode_answer(std::span(reset).first(39)).has_value());  // short TCP header
  EXPECT_FALSE(decode_answer(hex(std::string(80, 'f'))).has_value());
  auto v6 = reset;
  v6[0] = 0x65;
  EXPECT_FALSE(decode_answer(v6).has_value());
  auto short_ihl = reset;
  short_ihl[0] = 0x44;  // IHL 4 (16 bytes) is not a valid header
  EXPECT_FALSE(decode_answer(short_ihl).has_value());
  auto long_ihl = reset;
  long_ihl[0] = 0x4f;  // 60-byte header: the TCP header would end past the packet
  EXPECT_FALSE(decode_answer(long_ihl).has_value());
  auto udp = reset;
  udp[9] = 17;
  EXPECT_FALSE(decode_answer(udp).has_value());
  auto fragment = reset;
  fragment[7] = 0x10;  // fragment offset 16: no TCP header here
  EXPECT_FALSE(decode_answer(fragment).has_value());
}

TEST(TcpSegment, RejectsOtherFlags) {
  auto flags = [](std::uint8_t f) {
    auto p = hex(kReset);
    p[20 + 13] = f;
    return decode_answer(p);
  };
  EXPECT_FALSE(flags(0x02).has_value());  // a SYN (ours, seen on loopback)
  EXPECT_FALSE(flags(0x10).has_value());  // a bare ACK
  EXPECT_FALSE(flags(0x04).has_value());  // RST without ACK: it answers no SYN
  EXPECT_FALSE(flags(0x11).has_value());  // FIN+ACK
  EXPECT_FALSE(flags(0x18).has_value());  // data
  EXPECT_TRUE(flags(0x14).has_value());
  EXPECT_TRUE(flags(0x12).has_value());
}

// Runs the instructions answer_filter() uses over `packet`; returns the accepted length.
std::uint32_t run_filter(const std::vector<sock_filter>& program,
                         const std::vector<std::uint8_t>& packet) {
  std::uint32_t a = 0, x = 0;
  auto byte = [&](std::uint32_t at) -> std::optional<std::uint32_t> {
    if (at >= packet.size()) return std::nullopt;
    return packet[at];
  };
  auto half = [&](std::uint32_t at) -> std::optional<std::uint32_t> {
    if (at + 1 >= packet.size()) return std::nullopt;
    return static_cast<std::uint32_t>(packet[at] << 8 | packet[at + 1]);
  };
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    const sock_filter& i = program[pc];
    std::optional<std::uint32_t> v;
    switch (i.code) {
      case BPF_LD | BPF_B | BPF_ABS:
        v = byte(i.k);
        break;
      case BPF_LD | BPF_H | BPF_ABS:
        v = half(i.k);
        break;
      case BPF_LD | BPF_B | BPF_IND:
        v = byte(x + i.k);
        break;
      case BPF_LD | BPF_H | BPF_IND:
        v = half(x + i.k);
        break;
      case BPF_LDX | BPF_B | BPF_MSH:
        if (auto b = byte(i.k))
          x = (*b & 0xf) * 4;
        else
          return 0;
        continue;
      case BPF_ALU | BPF_AND | BPF_K:
        a &= i.k;
        continue;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += a == i.k ? i.jt : i.jf;
        continue;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += (a & i.k) != 0 ? i.jt : i.jf;
        continue;
      case BPF_RET | BPF_K:
        return i.k;
      default:
        ADD_FAILURE() << "unexpected instruction " << i.code;
        return 0;
    }
    if (!v) return 0;  // a load past the end drops the packet, as the kernel does
    a = *v;
  }
  ADD_FAILURE() << "fell off the end of the program";
  return 0;
}

TEST(TcpSegment, AnswerFilterAcceptsOnlyAnswersToOurPorts) {
  const std::vector<std::uint16_t> ports = {40001, 40000, 40002};
  const auto program = answer_filter(ports);
  EXPECT_GT(run_filter(program, hex(kSynAck)), 0u);
  EXPECT_GT(run_filter(program, hex(kReset)), 0u);
  auto other_port = hex(kReset);
  other_port[20 + 3] = 0x41;  // 40001 -> accepted, 0x9c41
  EXPECT_GT(run_filter(program, other_port), 0u);
  other_port[20 + 3] = 0x43;  // 40003: not ours
  EXPECT_EQ(run_filter(program, other_port), 0u);
  auto syn = hex(kReset);
  syn[20 + 13] = 0x02;  // a SYN to our port (not an answer)
  EXPECT_EQ(run_filter(program, syn), 0u);
  auto ack = hex(kReset);
  ack[20 + 13] = 0x10;
  EXPECT_EQ(run_filter(program, ack), 0u);
  auto udp = hex(kReset);
  udp[9] = 17;
  EXPECT_EQ(run_filter(program, udp), 0u);
  auto fragment = hex(kReset);
  fragment[7] = 0x10;
  EXPECT_EQ(run_filter(program, fragment), 0u);
  // With IPv4 options the TCP header is found after them.
  EXPECT_GT(run_filter(answer_filter(std::vector<std::uint16_t>{40000}),
                       hex("46000040 00004000 4006 0000 cb00710a c6336401 01010100"
                           "0050 9c40 a1b2c3d4 00000001 5012 fe88 0000 0000")),
            0u);
}

TEST(TcpSegment, AnswerFilterWithAFullPool) {
  std::vector<std::uint16_t> ports;
  for (std::uint16_t p = 50000; p < 50064; ++p) ports.push_back(p);
  const auto program = answer_filter(ports);
  for (std::uint16_t p : {std::uint16_t{50000}, std::uint16_t{50031}, std::uint16_t{50063}}) {
    auto packet = hex(kReset);
    packet[20 + 2] = static_cast<std::uint8_t>(p >> 8);
    packet[20 + 3] = static_cast<std::uint8_t>(p);
    EXPECT_GT(run_filter(program, packet), 0u) << p;
  }
  auto packet = hex(kReset);  // port 40000
  EXPECT_EQ(run_filter(program, packet), 0u);
}

}  // namespace
}  // namespace lvsctl::director::check
