#include "director/daemon/vrrp_socket.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lvsctl::director {
namespace {

sockaddr_in to_sockaddr(const vrrp::IpAddress& a) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  std::memcpy(&sin.sin_addr, a.bytes().data(), 4);
  return sin;
}

}  // namespace

Result<VrrpSocket> VrrpSocket::open(const std::string& ifname, const vrrp::IpAddress& source,
                                    const std::vector<vrrp::IpAddress>& peers) {
  if (!source.is_v4()) return Error{"VRRP over IPv6 is not supported by the runtime yet"};
  const unsigned ifindex = ::if_nametoindex(ifname.c_str());
  if (ifindex == 0) return Error::from_errno("interface " + ifname);
  Fd fd(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, vrrp::kIpProtocolVrrp));
  if (!fd) return Error::from_errno("cannot open a raw VRRP socket (needs CAP_NET_RAW)");
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(),
                   static_cast<socklen_t>(ifname.size())) != 0) {
    return Error::from_errno("cannot bind the VRRP socket to " + ifname);
  }
  const int on = 1;
  if (::setsockopt(fd.get(), IPPROTO_IP, IP_HDRINCL, &on, sizeof on) != 0) {
    return Error::from_errno("IP_HDRINCL on the VRRP socket");
  }
  if (peers.empty()) {
    ip_mreqn mreq{};
    std::memcpy(&mreq.imr_multiaddr, vrrp::vrrp_group_v4().bytes().data(), 4);
    mreq.imr_ifindex = static_cast<int>(ifindex);
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
      return Error::from_errno("cannot join 224.0.0.18 on " + ifname);
    }
    ip_mreqn ifreq{};
    ifreq.imr_ifindex = static_cast<int>(ifindex);
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_IF, &ifreq, sizeof ifreq) != 0) {
      return Error::from_errno("IP_MULTICAST_IF " + ifname);
    }
    const int off = 0;
    ::setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof off);
  }
  return VrrpSocket(std::move(fd), source, peers, static_cast<int>(ifindex));
}

Status VrrpSocket::send(const vrrp::Advert& advert_in) {
  vrrp::Advert advert = advert_in;
  advert.source = source_;
  const std::vector<vrrp::IpAddress> group{vrrp::vrrp_group_v4()};
  const auto& targets = peers_.empty() ? group : peers_;
  for (const auto& target : targets) {
    advert.destination = target;
    const auto packet = vrrp::encode_ip_packet(advert, ++ip_id_);
    const sockaddr_in to = to_sockaddr(target);
    if (::sendto(fd_.get(), packet.data(), packet.size(), 0,
                 reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
      return Error::from_errno("cannot send VRRP advert to " + target.to_string());
    }
  }
  return {};
}

std::vector<std::uint8_t> VrrpSocket::receive() {
  std::vector<std::uint8_t> buf(2048);
  const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
  if (n <= 0) return {};
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

}  // namespace lvsctl::director
