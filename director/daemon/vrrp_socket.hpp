#pragma once
// VrrpSocket: a raw socket for IP protocol 112 bound to one interface that joined 224.0.0.18 /
// ff02::12 there (or talks to unicast peers), sends encoded adverts with TOS/traffic class 0xc0
// and TTL/hop limit 255, and reads received packets in batches (recvmmsg) for the codec. One
// socket serves every instance of an interface and family (see VrrpWire). The family is the source address's. IPv4: IP_HDRINCL, our own header. IPv6: the kernel
// builds the header and computes/verifies the checksum (IPV6_CHECKSUM at offset 6); the source
// is the interface's link-local address. An adapter: the state machine decides, this only moves
// bytes.
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "director/vrrp/advert.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

class VrrpSocket {
 public:
  // `peers` empty: multicast on `ifname`; else unicast to each peer from `source`.
  static Result<VrrpSocket> open(const std::string& ifname, const IpAddress& source,
                                 const std::vector<IpAddress>& peers);

  // Packets read by one receive() call.
  struct Batch {
    static constexpr std::size_t kPackets = 64;
    static constexpr std::size_t kBytes = 2048;
    std::array<std::array<std::uint8_t, kBytes>, kPackets> data;
    std::array<std::size_t, kPackets> length{};
    std::array<vrrp::PacketContext, kPackets> context{};
    std::size_t count = 0;
    std::span<const std::uint8_t> packet(std::size_t i) const { return {data[i].data(), length[i]}; }
  };

  int fd() const { return fd_.get(); }
  bool is_v6() const { return source_.is_v6(); }
  // Where adverts go: the multicast group of the family, or the unicast peers.
  std::vector<IpAddress> destinations() const;

  // Lets only adverts of these VRIDs reach this socket (a socket filter in the kernel; none: no
  // packet at all), so adverts of other routers cost nothing in user space.
  Status accept_only_vrids(std::span<const std::uint8_t> vrids);

  // One encoded packet (encode_ip_packet for IPv4, encode for IPv6) and where it goes.
  struct Outgoing {
    std::span<const std::uint8_t> packet;
    IpAddress destination;
  };
  // Sends them all, in order, with as few sendmmsg calls as the kernel allows; a packet the kernel
  // refuses is reported to `refused` with its index and reason, and the others still go.
  void send(std::span<const Outgoing> packets,
            const std::function<void(std::size_t index, const Error&)>& refused);

  // Reads the packets waiting, up to Batch::kPackets: IPv4, whole packets, header included;
  // IPv6, bare VRRP messages with their envelope (source, destination, hop limit) in context.
  // batch.count == 0 when none is waiting.
  void receive(Batch& batch);

 private:
  static Result<VrrpSocket> open_v6(const std::string& ifname, int ifindex, const IpAddress& source,
                                    const std::vector<IpAddress>& peers);
  VrrpSocket(Fd fd, IpAddress source, std::vector<IpAddress> peers, int ifindex)
      : fd_(std::move(fd)), source_(source), peers_(std::move(peers)), ifindex_(ifindex) {}
  Fd fd_;
  IpAddress source_;
  std::vector<IpAddress> peers_;
  int ifindex_ = 0;
};

}  // namespace lvsctl::director
