#include "director/vrrp/packet_capture.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace lvsctl::director::vrrp {
namespace {

constexpr uint8_t kVrrp = 112;

bool is_vrrp(const uint8_t* p, std::size_t n, uint16_t ethertype) {
  if (ethertype == ETH_P_IP) return n >= 20 && (p[0] >> 4) == 4 && p[9] == kVrrp;
  if (ethertype == ETH_P_IPV6) return n >= 40 && (p[0] >> 4) == 6 && p[6] == kVrrp;
  return false;
}

}  // namespace

Result<PacketCapture> PacketCapture::open(const std::string& interface) {
  unsigned index = 0;
  if (!interface.empty()) {
    index = if_nametoindex(interface.c_str());
    if (index == 0) return Error::from_errno("no such interface: " + interface);
  }
  Fd fd(::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL)));
  if (!fd) return Error::from_errno("cannot open a packet socket (needs root / CAP_NET_RAW)");
  if (index != 0) {
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(index);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
      return Error::from_errno("cannot bind the packet socket to " + interface);
    }
    static constexpr std::array<std::array<uint8_t, 6>, 2> groups{{
        {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12},
        {0x33, 0x33, 0x00, 0x00, 0x00, 0x12},
    }};
    for (const auto& mac : groups) {
      packet_mreq mreq{};
      mreq.mr_ifindex = static_cast<int>(index);
      mreq.mr_type = PACKET_MR_MULTICAST;
      mreq.mr_alen = 6;
      std::memcpy(mreq.mr_address, mac.data(), mac.size());
      // Best effort: interfaces without multicast filtering (veth, loopback) do not need it.
      (void)::setsockopt(fd.get(), SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq);
    }
  }
  return PacketCapture(std::move(fd));
}

Result<std::optional<CapturedPacket>> PacketCapture::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<uint8_t, 65536> buf;
  for (;;) {
    int wait_ms = -1;
    if (timeout.count() >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::optional<CapturedPacket>{};
      wait_ms = static_cast<int>(left.count());
    }
    pollfd pfd{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll on the packet socket");
    }
    if (ready == 0) continue;  // re-check the deadline
    sockaddr_ll from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Error::from_errno("receive on the packet socket");
    }
    const auto size = static_cast<std::size_t>(n);
    if (!is_vrrp(buf.data(), size, ntohs(from.sll_protocol))) continue;
    CapturedPacket p;
    p.bytes.assign(buf.begin(), buf.begin() + n);
    char name[IF_NAMESIZE] = {};
    if (if_indextoname(static_cast<unsigned>(from.sll_ifindex), name) != nullptr)
      p.interface = name;
    p.outgoing = from.sll_pkttype == PACKET_OUTGOING;
    p.wall_time = std::chrono::system_clock::now();
    p.mono_time = std::chrono::steady_clock::now();
    return std::optional<CapturedPacket>(std::move(p));
  }
}

}  // namespace lvsctl::director::vrrp
