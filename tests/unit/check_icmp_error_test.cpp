// ICMP errors about SYN probes as values: the quoted SYN identifies the probe, the type and code
// give connect()'s errno; everything else is rejected; the BPF filter, run on a small interpreter
// of the instructions it uses, keeps only errors about our ports.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "director/check/icmp_error.hpp"

namespace lvsctl::director::check {
namespace {

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

// Host unreachable from router 203.0.113.1 to 198.51.100.1, quoting our SYN 198.51.100.1:40000 ->
// 203.0.113.10:80, sequence 0x12345678: outer IPv4, ICMP (type 3 code 1), quoted IPv4 + 8 bytes.
const char* const kHostUnreachable =
    "45c00038 0000 0000 4001 0000 cb007101 c6336401"
    "0301 0000 00000000"
    "45000028 1234 4000 4006 0000 c6336401 cb00710a"
    "9c40 0050 12345678";
constexpr std::size_t kIcmp = 20, kQuoted = 28, kQuotedTcp = 48;

TEST(IcmpError, DecodesHostUnreachableQuotingOurSyn) {
  const auto e = decode_icmp_error(hex(kHostUnreachable));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->error, EHOSTUNREACH);
  EXPECT_EQ(e->source, 0xc6336401u);
  EXPECT_EQ(e->source_port, 40000);
  EXPECT_EQ(e->target, 0xcb00710au);
  EXPECT_EQ(e->target_port, 80);
  EXPECT_EQ(e->sequence, 0x12345678u);
}

TEST(IcmpError, TypesAndCodesAsConnectReportsThem) {
  auto with = [](std::uint8_t type, std::uint8_t code) {
    auto p = hex(kHostUnreachable);
    p[kIcmp] = type;
    p[kIcmp + 1] = code;
    return decode_icmp_error(p);
  };
  EXPECT_EQ(with(3, 0)->error, ENETUNREACH);
  EXPECT_EQ(with(3, 3)->error, ECONNREFUSED);   // port unreachable (iptables REJECT's default)
  EXPECT_EQ(with(3, 13)->error, EHOSTUNREACH);  // administratively prohibited
  EXPECT_EQ(with(3, 10)->error, EHOSTUNREACH);
  EXPECT_EQ(with(11, 0)->error, EHOSTUNREACH);  // time exceeded
  EXPECT_EQ(with(3, 200)->error, EHOSTUNREACH);
  EXPECT_FALSE(with(3, 4).has_value());  // fragmentation needed: the kernel's business
  EXPECT_FALSE(with(0, 0).has_value());  // echo reply
  EXPECT_FALSE(with(8, 0).has_value());  // echo request
  EXPECT_FALSE(with(5, 1).has_value());  // redirect
}

TEST(IcmpError, RejectsShortAndOtherPackets) {
  const auto good = hex(kHostUnreachable);
  EXPECT_FALSE(decode_icmp_error({}).has_value());
  EXPECT_FALSE(
      decode_icmp_error(std::span(good).first(good.size() - 1)).has_value());  // 7 quoted TCP bytes
  EXPECT_FALSE(decode_icmp_error(std::span(good).first(kQuoted + 10)).has_value());
  auto not_icmp = good;
  not_icmp[9] = 6;
  EXPECT_FALSE(decode_icmp_error(not_icmp).has_value());
  auto quoted_udp = good;
  quoted_udp[kQuoted + 9] = 17;
  EXPECT_FALSE(decode_icmp_error(quoted_udp).has_value());
  auto quoted_v6 = good;
  quoted_v6[kQuoted] = 0x60;
  EXPECT_FALSE(decode_icmp_error(quoted_v6).has_value());
  auto fragment = good;
  fragment[7] = 0x20;
  EXPECT_FALSE(decode_icmp_error(fragment).has_value());
  auto long_quoted = good;  // quoted IHL 6: its TCP bytes would end past the packet
  long_quoted[kQuoted] = 0x46;
  EXPECT_FALSE(decode_icmp_error(long_quoted).has_value());
}

std::uint32_t run_filter(const std::vector<sock_filter>& program,
                         const std::vector<std::uint8_t>& packet) {
  std::uint32_t a = 0, x = 0;
  auto load = [&](std::uint32_t at, std::uint32_t size) -> std::optional<std::uint32_t> {
    if (at + size > packet.size()) return std::nullopt;
    return size == 1 ? packet[at] : static_cast<std::uint32_t>(packet[at] << 8 | packet[at + 1]);
  };
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    const sock_filter& i = program[pc];
    std::optional<std::uint32_t> v;
    switch (i.code) {
      case BPF_LD | BPF_B | BPF_ABS:
        v = load(i.k, 1);
        break;
      case BPF_LD | BPF_H | BPF_ABS:
        v = load(i.k, 2);
        break;
      case BPF_LD | BPF_B | BPF_IND:
        v = load(x + i.k, 1);
        break;
      case BPF_LD | BPF_H | BPF_IND:
        v = load(x + i.k, 2);
        break;
      case BPF_LDX | BPF_B | BPF_MSH:
        if (auto b = load(i.k, 1))
          x = (*b & 0xf) * 4;
        else
          return 0;
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
    if (!v) return 0;
    a = *v;
  }
  ADD_FAILURE() << "fell off the end of the program";
  return 0;
}

TEST(IcmpError, FilterKeepsOnlyErrorsAboutOurPorts) {
  const std::vector<std::uint16_t> ports = {40001, 40000};
  const auto program = icmp_error_filter(ports);
  EXPECT_GT(run_filter(program, hex(kHostUnreachable)), 0u);
  auto time_exceeded = hex(kHostUnreachable);
  time_exceeded[kIcmp] = 11;
  EXPECT_GT(run_filter(program, time_exceeded), 0u);
  auto other_port = hex(kHostUnreachable);
  other_port[kQuotedTcp + 1] = 0x42;  // 40002
  EXPECT_EQ(run_filter(program, other_port), 0u);
  auto echo = hex(kHostUnreachable);
  echo[kIcmp] = 0;
  EXPECT_EQ(run_filter(program, echo), 0u);
  auto quoted_udp = hex(kHostUnreachable);
  quoted_udp[kQuoted + 9] = 17;
  EXPECT_EQ(run_filter(program, quoted_udp), 0u);
  auto tcp = hex(kHostUnreachable);
  tcp[9] = 6;
  EXPECT_EQ(run_filter(program, tcp), 0u);
  auto short_packet = hex(kHostUnreachable);
  short_packet.resize(kQuotedTcp + 1);  // the quoted source port is cut: a load past the end
  EXPECT_EQ(run_filter(program, short_packet), 0u);
}

}  // namespace
}  // namespace lvsctl::director::check
