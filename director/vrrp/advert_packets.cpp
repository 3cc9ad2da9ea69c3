#include "director/vrrp/advert_packets.hpp"

#include "director/vrrp/advert.hpp"
#include "shared/internet_checksum.hpp"

namespace lvsctl::director::vrrp {

void set_ipv4_id(std::span<uint8_t> packet, uint16_t id) {
  if (packet.size() < 20) return;
  const std::size_t header = std::min<std::size_t>(packet.size(), (packet[0] & 0x0fu) * 4u);
  packet[4] = static_cast<uint8_t>(id >> 8);
  packet[5] = static_cast<uint8_t>(id & 0xff);
  packet[10] = 0;
  packet[11] = 0;
  InternetChecksum sum;
  sum.add(packet.first(header));
  packet[10] = static_cast<uint8_t>(sum.value() >> 8);
  packet[11] = static_cast<uint8_t>(sum.value() & 0xff);
}

AdvertPackets::AdvertPackets(const InstanceConfig& config, std::vector<IpAddress> destinations)
    : config_(config), destinations_(std::move(destinations)) {}

const std::vector<std::vector<uint8_t>>& AdvertPackets::packets(uint8_t priority) {
  ++ip_id_;
  const bool v4 = config_.primary_address.is_v4();
  if (priority_ == priority) {
    if (v4) {
      for (auto& p : packets_) set_ipv4_id(p, ip_id_);
    }
    return packets_;
  }
  packets_.clear();
  Advert advert = advert_of(config_, priority);
  for (const auto& destination : destinations_) {
    advert.destination = destination;
    packets_.push_back(v4 ? encode_ip_packet(advert, ip_id_) : encode(advert));
  }
  priority_ = priority;
  return packets_;
}

}  // namespace lvsctl::director::vrrp
