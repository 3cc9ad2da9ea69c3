#include "director/vrrp/gratuitous_sender.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "director/vrrp/gratuitous.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::vrrp {

Status send_gratuitous(const std::string& ifname, std::span<const IpAddress> vips, unsigned count) {
  if (ifname.size() >= IFNAMSIZ) return Error{"interface name too long: " + ifname};
  const unsigned index = if_nametoindex(ifname.c_str());
  if (index == 0) return Error::from_errno("no such interface: " + ifname);
  // Protocol 0: this socket only sends, it must not queue every frame of the link.
  Fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("cannot open a packet socket for gratuitous ARP/NA");
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
