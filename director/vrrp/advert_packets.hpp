#pragma once
// AdvertPackets: the bytes of one instance's adverts, encoded once and re-sent until the priority
// changes. A master sends the same advert every interval; only the IPv4 identification field
// (keepalived counts it up per packet) differs, so later sends renumber the cached packet instead
// of encoding it again. Pure.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "director/vrrp/instance_config.hpp"

namespace lvsctl::director::vrrp {

// Rewrites the identification of an IPv4 packet (bytes 4-5) and its header checksum.
void set_ipv4_id(std::span<uint8_t> packet, uint16_t id);

class AdvertPackets {
 public:
  // One packet per destination (the multicast group, or each unicast peer), from the primary
  // address of `config`.
  AdvertPackets(const InstanceConfig& config, std::vector<IpAddress> destinations);

  // Our advert with `priority`, one packet per destination, in the order given: IPv4, whole
  // packets with the next IP id (encode_ip_packet); IPv6, bare VRRP messages (encode; the kernel
  // adds the header). Valid until the next call.
  const std::vector<std::vector<uint8_t>>& packets(uint8_t priority);

  // The configuration changed (a reload updated it in place): encode again at the next send.
  void invalidate() { priority_.reset(); }

  const std::vector<IpAddress>& destinations() const { return destinations_; }

 private:
  const InstanceConfig& config_;
  std::vector<IpAddress> destinations_;
  std::optional<uint8_t> priority_;  // of packets_
  std::vector<std::vector<uint8_t>> packets_;
  uint16_t ip_id_ = 0;
};

}  // namespace lvsctl::director::vrrp
