#pragma once
// VrrpSocket: the wire of one VRRP instance (IP protocol 112): a raw socket bound to the
// instance's interface that joined 224.0.0.18 / ff02::12 there (or talks to unicast peers), sends
// adverts with TOS/traffic class 0xc0 and TTL/hop limit 255, and hands received packets to the
// codec. The family is the source address's. IPv4: IP_HDRINCL, our own header. IPv6: the kernel
// builds the header and computes/verifies the checksum (IPV6_CHECKSUM at offset 6); the source
// is the interface's link-local address. An adapter: the state machine decides, this only moves
// bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "director/vrrp/advert.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

class VrrpSocket {
 public:
  // `peers` empty: multicast on `ifname`; else unicast to each peer from `source`.
  static Result<VrrpSocket> open(const std::string& ifname, const vrrp::IpAddress& source,
                                 const std::vector<vrrp::IpAddress>& peers);

  int fd() const { return fd_.get(); }

  // Lets only adverts of `vrid` reach this socket (a socket filter in the kernel), so N
  // instances on one interface do not each receive and decode everyone's adverts.
  Status accept_only_vrid(std::uint8_t vrid);

  // Encodes and sends `advert` to the group (or to every unicast peer).
  Status send(const vrrp::Advert& advert);

  // Reads one pending packet: IPv4, the whole packet, header included; IPv6, the bare VRRP
  // message, with its envelope (source, destination, hop limit) in `context`. Empty when none
  // is waiting.
  std::vector<std::uint8_t> receive(vrrp::PacketContext& context);

 private:
  static Result<VrrpSocket> open_v6(const std::string& ifname, int ifindex,
                                    const vrrp::IpAddress& source,
                                    const std::vector<vrrp::IpAddress>& peers);
  VrrpSocket(Fd fd, vrrp::IpAddress source, std::vector<vrrp::IpAddress> peers, int ifindex)
      : fd_(std::move(fd)), source_(source), peers_(std::move(peers)), ifindex_(ifindex) {}
  Fd fd_;
  vrrp::IpAddress source_;
  std::vector<vrrp::IpAddress> peers_;
  int ifindex_ = 0;
  std::uint16_t ip_id_ = 0;
};

}  // namespace lvsctl::director
