#include "director/check/icmp_echo.hpp"

#include <netinet/in.h>

#include <algorithm>

namespace lvsctl::director::check {
namespace {

constexpr std::size_t kEchoHeader = 8;  // type, code, checksum, identifier, sequence

std::uint8_t request_type(IcmpFamily f) { return f == IcmpFamily::V4 ? 8 : 128; }
std::uint8_t reply_type(IcmpFamily f) { return f == IcmpFamily::V4 ? 0 : 129; }

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// The ICMP message inside a raw socket's IPv4 packet; empty when it is not one.
std::span<const std::uint8_t> icmp_of_ipv4(std::span<const std::uint8_t> packet) {
  if (packet.size() < 20 || (packet[0] >> 4) != 4 || packet[9] != IPPROTO_ICMP) return {};
  if ((get16(&packet[6]) & 0x3fff) != 0) return {};  // a fragment: the kernel reassembles
  const std::size_t ihl = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  const std::size_t total = get16(&packet[2]);
  if (ihl < 20 || total < ihl || packet.size() < total) return {};
  return packet.subspan(ihl, total - ihl);
}

}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += get16(&bytes[i]);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

std::vector<std::uint8_t> encode_echo_request(IcmpFamily family, const EchoMessage& echo) {
  std::vector<std::uint8_t> m(kEchoHeader + echo.data.size());
  m[0] = request_type(family);
  put16(&m[4], echo.id);
  put16(&m[6], echo.sequence);
  std::copy(echo.data.begin(), echo.data.end(), m.begin() + kEchoHeader);
  if (family == IcmpFamily::V4) put16(&m[2], internet_checksum(m));
  return m;
}

std::optional<EchoMessage> decode_echo_reply(IcmpFamily family, std::span<const std::uint8_t> packet,
                                             bool ip_header) {
  if (ip_header) {
    if (family != IcmpFamily::V4) return std::nullopt;
    packet = icmp_of_ipv4(packet);
  }
  if (packet.size() < kEchoHeader || packet[0] != reply_type(family) || packet[1] != 0) {
    return std::nullopt;
  }
  if (family == IcmpFamily::V4 && internet_checksum(packet) != 0) return std::nullopt;
  EchoMessage e;
  e.id = get16(&packet[4]);
  e.sequence = get16(&packet[6]);
  e.data.assign(packet.begin() + kEchoHeader, packet.end());
  return e;
}

bool answers(const EchoMessage& reply, const EchoMessage& request) {
  return reply.id == request.id && reply.sequence == request.sequence && reply.data == request.data;
}

std::optional<EchoMessage> decode_quoted_echo_request(IcmpFamily family,
                                                      std::span<const std::uint8_t> quoted) {
  if (quoted.size() < kEchoHeader || quoted[0] != request_type(family) || quoted[1] != 0) {
    return std::nullopt;
  }
  EchoMessage e;
  e.id = get16(&quoted[4]);
  e.sequence = get16(&quoted[6]);
  return e;
}

}  // namespace lvsctl::director::check
