#include "director/vrrp/gratuitous_sender.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstring>

#include "director/vrrp/gratuitous.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::vrrp {
namespace {

// One send-only packet socket per network namespace, kept open: closing a packet socket waits
// for an RCU grace period (about 20 ms here), which stalled the loop at every takeover.
Result<const Fd*> packet_socket() {
  static Fd fd;
  static ino_t namespace_of_fd = 0;
  struct stat ns {};
  if (::stat("/proc/self/ns/net", &ns) != 0) return Error::from_errno("/proc/self/ns/net");
  if (fd && ns.st_ino == namespace_of_fd) return &fd;
  // Protocol 0: this socket only sends, it must not queue every frame of the link.
  fd.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("cannot open a packet socket for gratuitous ARP/NA");
  namespace_of_fd = ns.st_ino;
  return &fd;
}

}  // namespace

Status send_gratuitous(const std::string& ifname, std::span<const IpAddress> vips, unsigned count) {
  if (ifname.size() >= IFNAMSIZ) return Error{"interface name too long: " + ifname};
  const unsigned index = if_nametoindex(ifname.c_str());
  if (index == 0) return Error::from_errno("no such interface: " + ifname);
  auto sock = packet_socket();
  if (!sock) return sock.error();
  const Fd& fd = **sock;
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, ifname.c_str(), ifname.size());
  if (::ioctl(fd.get(), SIOCGIFHWADDR, &ifr) != 0) {
    return Error::from_errno("cannot read the MAC address of " + ifname);
  }
  Mac mac;
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());

  for (unsigned round = 0; round < count; ++round) {
    for (const IpAddress& vip : vips) {
      const auto frame =
          vip.is_v4() ? gratuitous_arp_frame(mac, vip) : unsolicited_na_frame(mac, vip);
      if (frame.empty()) continue;
      sockaddr_ll to{};
      to.sll_family = AF_PACKET;
      to.sll_protocol = htons(vip.is_v4() ? ETH_P_ARP : ETH_P_IPV6);
      to.sll_ifindex = static_cast<int>(index);
      to.sll_halen = 6;
      std::memcpy(to.sll_addr, frame.data(), 6);  // the frame's destination MAC
      if (::sendto(fd.get(), frame.data(), frame.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                   sizeof to) < 0) {
        return Error::from_errno("cannot send gratuitous " +
                                 std::string(vip.is_v4() ? "ARP" : "NA") + " for " +
                                 vip.to_string() + " on " + ifname);
      }
    }
  }
  return {};
}

}  // namespace lvsctl::director::vrrp
