#include "director/check/icmp_error.hpp"

#include <netinet/in.h>

#include <array>
#include <cassert>
#include <cerrno>

namespace lvsctl::director::check {
namespace {

constexpr std::uint8_t kDestinationUnreachable = 3;
constexpr std::uint8_t kTimeExceeded = 11;
constexpr std::uint8_t kFragmentationNeeded = 4;
constexpr std::size_t kIcmpHeader = 8;

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(get16(p)) << 16 | get16(p + 2);
}

}  // namespace

int unreachable_errno(std::uint8_t code) {
  static constexpr std::array<int, 16> kErrno = {
      ENETUNREACH,   // 0 network unreachable
      EHOSTUNREACH,  // 1 host unreachable
      ENOPROTOOPT,   // 2 protocol unreachable
      ECONNREFUSED,  // 3 port unreachable
      EMSGSIZE,      // 4 fragmentation needed
      EOPNOTSUPP,    // 5 source route failed
      ENETUNREACH,   // 6 destination network unknown
      EHOSTDOWN,     // 7 destination host unknown
      ENONET,        // 8 source host isolated
      ENETUNREACH,   // 9 network administratively prohibited
      EHOSTUNREACH,  // 10 host administratively prohibited
      ENETUNREACH,   // 11 network unreachable for TOS
      EHOSTUNREACH,  // 12 host unreachable for TOS
      EHOSTUNREACH,  // 13 communication administratively prohibited
      EHOSTUNREACH,  // 14 host precedence violation
      EHOSTUNREACH,  // 15 precedence cutoff in effect
  };
  return code < kErrno.size() ? kErrno[code] : EHOSTUNREACH;
}

std::optional<IcmpError> decode_icmp_error(std::span<const std::uint8_t> packet) {
  if (packet.size() < 20 || (packet[0] >> 4) != 4 || packet[9] != IPPROTO_ICMP) return std::nullopt;
  if ((get16(&packet[6]) & 0x1fff) != 0) return std::nullopt;  // not the first fragment
  const std::size_t outer = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  if (outer < 20 || packet.size() < outer + kIcmpHeader + 20 + 8) return std::nullopt;
  const std::uint8_t* icmp = &packet[outer];
  const std::uint8_t type = icmp[0], code = icmp[1];
  IcmpError e;
  if (type == kDestinationUnreachable && code != kFragmentationNeeded) {
    e.error = unreachable_errno(code);
  } else if (type == kTimeExceeded) {
    e.error = EHOSTUNREACH;
  } else {
    return std::nullopt;
  }
  const std::uint8_t* quoted = icmp + kIcmpHeader;
  if ((quoted[0] >> 4) != 4 || quoted[9] != IPPROTO_TCP) return std::nullopt;
  const std::size_t inner = static_cast<std::size_t>(quoted[0] & 0x0f) * 4;
  if (inner < 20 || packet.size() < outer + kIcmpHeader + inner + 8) return std::nullopt;
  e.source = get32(&quoted[12]);
  e.target = get32(&quoted[16]);
  const std::uint8_t* tcp = quoted + inner;
  e.source_port = get16(&tcp[0]);
  e.target_port = get16(&tcp[2]);
  e.sequence = get32(&tcp[4]);
  return e;
}

std::vector<sock_filter> icmp_error_filter(std::span<const std::uint16_t> ports) {
  assert(ports.size() <= 64);  // jump offsets are 8 bits
  const auto n = static_cast<std::uint8_t>(ports.size());
  // Layout: the checks (0-12), the port comparisons (13 .. 12+n), drop (13+n), accept (14+n). A
  // jump offset counts the instructions skipped after the jump itself.
  const std::uint8_t drop = static_cast<std::uint8_t>(13 + n);
  auto to_drop = [&](std::size_t at) { return static_cast<std::uint8_t>(drop - at - 1); };
  std::vector<sock_filter> f = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),  // 0: IPv4 protocol
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 0, to_drop(1)),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),  // 2: flags + fragment offset
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, to_drop(3), 0),
      BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),  // 4: X = outer header length
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),   // 5: ICMP type
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kDestinationUnreachable, 1, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kTimeExceeded, 0, to_drop(7)),
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8),                     // 8: quoted version + IHL
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x45, 0, to_drop(9)),  // IPv4, 20 bytes: as we send
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8 + 9),                 // 10: quoted protocol
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, to_drop(11)),
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 8 + 20),  // 12: quoted TCP source port
  };
  append_port_match(f, ports);
  return f;
}

}  // namespace lvsctl::director::check
