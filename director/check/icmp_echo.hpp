#pragma once
// ICMP / ICMPv6 echo (PING_CHECK), read and written as values: the echo request we send and the
// echo reply we accept, and the echo request an ICMP error quotes (what the kernel's error queue
// hands back with it). Pure: no sockets.
//
// A ping socket (SOCK_DGRAM, IPPROTO_ICMP[V6]) rewrites the request's identifier to its own, so
// the caller names the identifier a reply must carry; a raw IPv4 socket returns the reply with
// its IPv4 header, ping sockets and raw ICMPv6 sockets without it.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lvsctl::director::check {

enum class IcmpFamily : std::uint8_t { V4, V6 };

struct EchoMessage {
  std::uint16_t id = 0;
  std::uint16_t sequence = 0;
  std::vector<std::uint8_t> data;  // the payload the reply must echo
  friend bool operator==(const EchoMessage&, const EchoMessage&) = default;
};

// The 16-bit one's complement Internet checksum of `bytes` (RFC 1071).
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes);

// An echo request message from its ICMP header on. ICMPv4: checksummed; ICMPv6: checksum 0, the
// kernel fills it in (it covers the IPv6 pseudo header, which only the kernel knows).
std::vector<std::uint8_t> encode_echo_request(IcmpFamily family, const EchoMessage& echo);

// The echo reply in `packet` (with `ip_header`, an IPv4 packet as a raw ICMP socket returns it:
// the IPv4 header is checked and skipped). nullopt: not an echo reply (another type, code not 0),
// truncated, or, ICMPv4, a bad checksum (the kernel checks ICMPv6 checksums itself).
std::optional<EchoMessage> decode_echo_reply(IcmpFamily family, std::span<const std::uint8_t> packet,
                                             bool ip_header = false);

// True when `reply` answers `request`: same identifier, sequence and data.
bool answers(const EchoMessage& reply, const EchoMessage& request);

// The identifier and sequence of the echo request an ICMP error quotes (the quoted ICMP header
// on, as recvmsg(MSG_ERRQUEUE) returns it; the data may be cut short, so it is not kept).
std::optional<EchoMessage> decode_quoted_echo_request(IcmpFamily family,
                                                      std::span<const std::uint8_t> quoted);

}  // namespace lvsctl::director::check
