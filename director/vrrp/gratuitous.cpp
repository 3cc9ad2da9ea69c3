#include "director/vrrp/gratuitous.hpp"

#include "shared/internet_checksum.hpp"

namespace lvsctl::director::vrrp {
namespace {

constexpr Mac kBroadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr Mac kAllNodesMac = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
constexpr uint8_t kIcmpv6 = 58;

template <typename Bytes>
void put(std::vector<uint8_t>& out, const Bytes& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v & 0xff));
}

}  // namespace

std::vector<uint8_t> gratuitous_arp_frame(const Mac& mac, const IpAddress& vip) {
  if (!vip.is_v4()) return {};
  std::vector<uint8_t> f;
  f.reserve(42);
  put(f, kBroadcast);
  put(f, mac);
  put16(f, 0x0806);  // ARP
  put16(f, 1);       // Ethernet
  put16(f, 0x0800);  // IPv4
  f.push_back(6);
  f.push_back(4);
  put16(f, 1);  // request
  put(f, mac);
  put(f, vip.bytes());
  put(f, kBroadcast);
  put(f, vip.bytes());
  return f;
}

std::vector<uint8_t> unsolicited_na_frame(const Mac& mac, const IpAddress& vip, bool router) {
  if (!vip.is_v6()) return {};
  const IpAddress all_nodes = *IpAddress::parse("ff02::1");
  // ICMPv6 Neighbour Advertisement (RFC 4861 section 4.4) with the target link-layer option.
  std::vector<uint8_t> na;
  na.push_back(136);
  na.push_back(0);
  put16(na, 0);                                                    // checksum, below
  na.push_back(static_cast<uint8_t>((router ? 0x80 : 0) | 0x20));  // R, S=0, O=1
  na.push_back(0);
  put16(na, 0);
  put(na, vip.bytes());
  na.push_back(2);  // target link-layer address
  na.push_back(1);  // length in units of 8 bytes
  put(na, mac);

  const auto len = static_cast<uint32_t>(na.size());
  InternetChecksum sum;
  sum.add(vip.bytes());
  sum.add(all_nodes.bytes());
  const uint8_t tail[8] = {static_cast<uint8_t>(len >> 24),
                           static_cast<uint8_t>(len >> 16),
                           static_cast<uint8_t>(len >> 8),
                           static_cast<uint8_t>(len),
                           0,
                           0,
                           0,
                           kIcmpv6};
  sum.add(tail);
  sum.add(na);
  const uint16_t c = sum.value();
  na[2] = static_cast<uint8_t>(c >> 8);
  na[3] = static_cast<uint8_t>(c & 0xff);

  std::vector<uint8_t> f;
  f.reserve(14 + 40 + na.size());
  put(f, kAllNodesMac);
  put(f, mac);
  put16(f, 0x86dd);
  put(f, std::array<uint8_t, 4>{0x60, 0, 0, 0});  // version 6, traffic class 0, flow 0
  put16(f, static_cast<uint16_t>(na.size()));
  f.push_back(kIcmpv6);
  f.push_back(255);  // hop limit: receivers drop ND with anything else
  put(f, vip.bytes());
  put(f, all_nodes.bytes());
  put(f, na);
  return f;
}

}  // namespace lvsctl::director::vrrp
