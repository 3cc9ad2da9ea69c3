#include "director/check/tcp_segment.hpp"

#include <netinet/in.h>

#include <cassert>

#include "shared/internet_checksum.hpp"

namespace lvsctl::director::check {
namespace {

constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kAck = 0x10;
constexpr std::size_t kTcpHeader = 20;
constexpr std::uint16_t kMss = 1460;
constexpr std::uint16_t kWindow = 64240;

void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  put16(p, static_cast<std::uint16_t>(v >> 16));
  put16(p + 2, static_cast<std::uint16_t>(v));
}
std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(get16(p)) << 16 | get16(p + 2);
}

}  // namespace

std::uint16_t tcp_checksum(Ipv4 source, Ipv4 destination, std::span<const std::uint8_t> segment) {
  // The pseudo-header: source, destination, zero, protocol, TCP length.
  std::array<std::uint8_t, 12> pseudo{};
  put32(&pseudo[0], source);
  put32(&pseudo[4], destination);
  pseudo[9] = IPPROTO_TCP;
  put16(&pseudo[10], static_cast<std::uint16_t>(segment.size()));
  InternetChecksum sum;
  sum.add(pseudo);
  sum.add(segment);
  return sum.value();
}

std::array<std::uint8_t, kSynLength> encode_syn(const SynSegment& syn) {
  std::array<std::uint8_t, kSynLength> s{};
  put16(&s[0], syn.source_port);
  put16(&s[2], syn.destination_port);
  put32(&s[4], syn.sequence);
  // ack 0; data offset in 32-bit words, then the flags.
  s[12] = static_cast<std::uint8_t>((kSynLength / 4) << 4);
  s[13] = kSyn;
  put16(&s[14], kWindow);
  // checksum (16) computed below, urgent pointer 0; then the MSS option: kind 2, length 4.
  s[20] = 2;
  s[21] = 4;
  put16(&s[22], kMss);
  put16(&s[16], tcp_checksum(syn.source, syn.destination, s));
  return s;
}

std::optional<TcpAnswer> decode_answer(std::span<const std::uint8_t> packet) {
  if (packet.size() < 20 || (packet[0] >> 4) != 4) return std::nullopt;
  const std::size_t ip_header = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  if (ip_header < 20 || packet.size() < ip_header + kTcpHeader) return std::nullopt;
  if (packet[9] != IPPROTO_TCP) return std::nullopt;
  if ((get16(&packet[6]) & 0x1fff) != 0) return std::nullopt;  // not the first fragment
  const std::uint8_t* tcp = &packet[ip_header];
  const std::uint8_t flags = tcp[13];
  if ((flags & kAck) == 0 || (flags & kFin) != 0) return std::nullopt;
  TcpAnswer a;
  if ((flags & kRst) != 0) {
    a.kind = AnswerKind::Reset;
  } else if ((flags & kSyn) != 0) {
    a.kind = AnswerKind::SynAck;
  } else {
    return std::nullopt;
  }
  a.from = get32(&packet[12]);
  a.to = get32(&packet[16]);
  a.from_port = get16(&tcp[0]);
  a.to_port = get16(&tcp[2]);
  a.acknowledges = get32(&tcp[8]) - 1;
  return a;
}

std::vector<sock_filter> answer_filter(std::span<const std::uint16_t> ports) {
  assert(ports.size() <= 64);  // jump offsets are 8 bits
  const auto n = static_cast<std::uint8_t>(ports.size());
  // Layout: the checks (0-9), the port comparisons (10 .. 9+n), drop (10+n), accept (11+n). A
  // jump offset counts the instructions skipped after the jump itself.
  const std::uint8_t drop = static_cast<std::uint8_t>(10 + n);
  auto to_drop = [&](std::size_t at) { return static_cast<std::uint8_t>(drop - at - 1); };
  std::vector<sock_filter> f = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),  // 0: IPv4 protocol
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, to_drop(1)),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),  // 2: flags + fragment offset
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, to_drop(3), 0),
      BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),            // 4: X = IPv4 header length
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),            // 5: TCP flags
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kRst, 2, 0),  // 6: RST: to the ports
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, kSyn | kAck),  // 7
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kSyn | kAck, 0, to_drop(8)),
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),  // 9: TCP destination port
  };
  append_port_match(f, ports);
  return f;
}

void append_port_match(std::vector<sock_filter>& filter, std::span<const std::uint16_t> ports) {
  const auto n = ports.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Equal jumps to accept (n - i instructions on), else on to the next (the last: drop).
    filter.push_back(
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ports[i], static_cast<std::uint8_t>(n - i), 0));
  }
  filter.push_back(BPF_STMT(BPF_RET | BPF_K, 0));       // drop
  filter.push_back(BPF_STMT(BPF_RET | BPF_K, 0xffff));  // accept
}

}  // namespace lvsctl::director::check
