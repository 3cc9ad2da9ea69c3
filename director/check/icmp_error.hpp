#pragma once
// ICMP errors about our SYN probes, read as values: what connect() would have reported when the
// network answers a SYN with "destination unreachable" or "time exceeded" instead of the real
// server (a neighbour that never answered ARP, a firewall's REJECT, no route on a router).
// Pure: no sockets. Addresses are host-order integers as in tcp_segment.hpp.
#include <linux/filter.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "director/check/tcp_segment.hpp"

namespace lvsctl::director::check {

struct IcmpError {
  int error = 0;  // the errno a TCP socket in SYN_SENT gets: EHOSTUNREACH, ECONNREFUSED, ...
  // From the SYN the message quotes:
  Ipv4 source = 0;
  std::uint16_t source_port = 0;
  Ipv4 target = 0;
  std::uint16_t target_port = 0;
  std::uint32_t sequence = 0;
};

// An IPv4 packet carrying ICMP (from its IPv4 header on, as a raw IPPROTO_ICMP socket returns
// it). nullopt unless it is a destination unreachable (other than "fragmentation needed", which
// the kernel handles by itself) or time exceeded quoting a TCP segment's IPv4 header and at
// least its first 8 bytes.
std::optional<IcmpError> decode_icmp_error(std::span<const std::uint8_t> packet);

// The errno Linux gives a connecting TCP socket for ICMP destination unreachable code `code`
// (net/ipv4/icmp.c icmp_err_convert); time exceeded is EHOSTUNREACH.
int unreachable_errno(std::uint8_t code);

// A classic BPF program for a raw ICMP socket: accepts destination unreachable and time exceeded
// messages quoting a TCP segment (20-byte IPv4 header, as our SYNs have) from one of `ports`
// (at most 64), drops everything else before it is queued.
std::vector<sock_filter> icmp_error_filter(std::span<const std::uint16_t> ports);

}  // namespace lvsctl::director::check
