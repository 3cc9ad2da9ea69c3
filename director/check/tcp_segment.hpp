#pragma once
// The IPv4 TCP segments of a SYN probe (a half-open TCP_CHECK), built and read as values:
//   - encode_syn: the SYN sent on a raw IPPROTO_TCP socket (the kernel adds the IPv4 header),
//   - decode_answer: a received IPv4 packet (header included, as a raw socket returns it) read
//     as the real server's answer to a SYN: SYN-ACK (port open) or RST (refused),
//   - answer_filter: the classic BPF program that lets only such answers reach the socket.
// Addresses are IPv4 as host-order integers (203.0.113.10 is 0xcb00710a), ports host order.
// Pure: no sockets.
#include <linux/filter.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lvsctl::director::check {

using Ipv4 = std::uint32_t;  // host byte order

struct SynSegment {
  Ipv4 source = 0;  // only for the checksum's pseudo-header: the kernel writes the IPv4 header
  Ipv4 destination = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t sequence = 0;  // the initial sequence number; an answer acknowledges it + 1
};

// 20-byte TCP header + MSS option (1460), window 64240, checksum over the IPv4 pseudo-header.
inline constexpr std::size_t kSynLength = 24;
std::array<std::uint8_t, kSynLength> encode_syn(const SynSegment& syn);

// The Internet checksum of a TCP segment (checksum field included as it is) with the IPv4
// pseudo-header of `source` -> `destination`. 0 when a segment's checksum is correct.
std::uint16_t tcp_checksum(Ipv4 source, Ipv4 destination, std::span<const std::uint8_t> segment);

enum class AnswerKind : std::uint8_t { SynAck, Reset };

// What a real server's answer says, in the probe's terms: `to`/`to_port` are the probe's source.
struct TcpAnswer {
  AnswerKind kind = AnswerKind::Reset;
  Ipv4 from = 0;
  std::uint16_t from_port = 0;
  Ipv4 to = 0;
  std::uint16_t to_port = 0;
  std::uint32_t acknowledges = 0;  // ack - 1: the sequence number of the SYN it answers
};

// An IPv4 packet (from its IPv4 header on) read as an answer to a SYN. nullopt for anything else:
// too short, not IPv4, not TCP, a non-first fragment, no ACK flag, or flags other than SYN+ACK /
// RST. The TCP checksum is not verified: on loopback it is not even computed (CHECKSUM_PARTIAL);
// answers are matched on their addresses, ports and acknowledgement instead.
std::optional<TcpAnswer> decode_answer(std::span<const std::uint8_t> packet);

// A classic BPF program for a raw socket whose packets start at the IPv4 header: accepts first
// fragments of TCP segments with destination port in `ports` (at most 64) and SYN+ACK or RST set,
// drops everything else before it is queued.
std::vector<sock_filter> answer_filter(std::span<const std::uint16_t> ports);

// The end both filters share: with a port loaded, one comparison per port (equal: accept), then
// drop, then accept (`ports.size()` + 2 instructions; at most 64 ports, for 8-bit jumps).
void append_port_match(std::vector<sock_filter>& filter, std::span<const std::uint16_t> ports);

}  // namespace lvsctl::director::check
