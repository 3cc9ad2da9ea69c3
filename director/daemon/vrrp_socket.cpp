#include "director/daemon/vrrp_socket.hpp"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "director/vrrp/multicast_group.hpp"

namespace lvsctl::director {
namespace {

sockaddr_in to_sockaddr(const IpAddress& a) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  std::memcpy(&sin.sin_addr, a.bytes().data(), 4);
  return sin;
}

sockaddr_in6 to_sockaddr6(const IpAddress& a, int ifindex) {
  sockaddr_in6 sin{};
  sin.sin6_family = AF_INET6;
  std::memcpy(&sin.sin6_addr, a.bytes().data(), 16);
  sin.sin6_scope_id = static_cast<uint32_t>(ifindex);
  return sin;
}

// Masters of one interval advertise in one burst (all instances of an interface, up to 255 per
// peer), and a backup reads them in one go after its burst window: room for a few bursts in
// each direction, beyond rmem_max/wmem_max where we may (CAP_NET_ADMIN).
void make_room_for_bursts(int fd) {
  const int bytes = 1 << 20;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  }
}

}  // namespace

Result<VrrpSocket> VrrpSocket::open_v6(const std::string& ifname, int ifindex,
                                       const IpAddress& source,
                                       const std::vector<IpAddress>& peers) {
  Fd fd(::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, vrrp::kIpProtocolVrrp));
  if (!fd) return Error::from_errno("cannot open a raw IPv6 VRRP socket (needs CAP_NET_RAW)");
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(),
                   static_cast<socklen_t>(ifname.size())) != 0) {
    return Error::from_errno("cannot bind the VRRP socket to " + ifname);
  }
  sockaddr_in6 local = to_sockaddr6(source, ifindex);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    return Error::from_errno("cannot bind the VRRP socket to " + source.to_string());
  }
  const int offset = 6;  // the VRRP checksum field
  const int hops = vrrp::kRequiredHopLimit;
  const int tclass = vrrp::kTos;
  const int on = 1;
  const int off = 0;
  const struct {
    int name;
    const int* value;
    const char* what;
  } options[] = {
      {IPV6_CHECKSUM, &offset, "IPV6_CHECKSUM"},
      {IPV6_MULTICAST_HOPS, &hops, "IPV6_MULTICAST_HOPS"},
      {IPV6_UNICAST_HOPS, &hops, "IPV6_UNICAST_HOPS"},
      {IPV6_TCLASS, &tclass, "IPV6_TCLASS"},
      {IPV6_RECVHOPLIMIT, &on, "IPV6_RECVHOPLIMIT"},
      {IPV6_RECVPKTINFO, &on, "IPV6_RECVPKTINFO"},
      {IPV6_MULTICAST_IF, &ifindex, "IPV6_MULTICAST_IF"},
      {IPV6_MULTICAST_LOOP, &off, "IPV6_MULTICAST_LOOP"},
  };
  for (const auto& o : options) {
    if (::setsockopt(fd.get(), IPPROTO_IPV6, o.name, o.value, sizeof(int)) != 0) {
      return Error::from_errno(std::string(o.what) + " on the VRRP socket");
    }
  }
  if (peers.empty()) {
    ipv6_mreq mreq{};
    std::memcpy(&mreq.ipv6mr_multiaddr, vrrp::vrrp_group_v6().bytes().data(), 16);
    mreq.ipv6mr_interface = static_cast<unsigned>(ifindex);
    if (::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
      return Error::from_errno("cannot join ff02::12 on " + ifname);
    }
  }
  make_room_for_bursts(fd.get());
  return VrrpSocket(std::move(fd), source, peers, ifindex);
}

Result<VrrpSocket> VrrpSocket::open(const std::string& ifname, const IpAddress& source,
                                    const std::vector<IpAddress>& peers) {
  const unsigned ifindex = ::if_nametoindex(ifname.c_str());
  if (ifindex == 0) return Error::from_errno("interface " + ifname);
  if (source.is_v6()) return open_v6(ifname, static_cast<int>(ifindex), source, peers);
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
  make_room_for_bursts(fd.get());
  return VrrpSocket(std::move(fd), source, peers, static_cast<int>(ifindex));
}

std::vector<IpAddress> VrrpSocket::destinations() const {
  if (!peers_.empty()) return peers_;
  return {source_.is_v6() ? vrrp::vrrp_group_v6() : vrrp::vrrp_group_v4()};
}

void VrrpSocket::send(std::span<const Outgoing> packets,
                      const std::function<void(std::size_t index, const Error&)>& refused) {
  constexpr std::size_t kPerCall = 64;
  union Address {
    sockaddr_in v4;
    sockaddr_in6 v6;
  };
  std::array<Address, kPerCall> to{};
  std::array<iovec, kPerCall> iov{};
  std::array<mmsghdr, kPerCall> msgs{};
  std::size_t next = 0;
  while (next < packets.size()) {
    const std::size_t n = std::min(kPerCall, packets.size() - next);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& out = packets[next + i];
      iov[i] = {const_cast<std::uint8_t*>(out.packet.data()), out.packet.size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &to[i];
      if (source_.is_v6()) {
        to[i].v6 = to_sockaddr6(out.destination, ifindex_);
        msgs[i].msg_hdr.msg_namelen = sizeof to[i].v6;
      } else {
        to[i].v4 = to_sockaddr(out.destination);
        msgs[i].msg_hdr.msg_namelen = sizeof to[i].v4;
      }
    }
    const int sent = ::sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(n), 0);
    if (sent > 0) {
      next += static_cast<std::size_t>(sent);
      continue;
    }
    // The first of these was refused (a later one's error would be reported by the next call).
    if (errno == EINTR) continue;
    refused(next, Error::from_errno("cannot send VRRP advert to " +
                                    packets[next].destination.to_string()));
    ++next;
  }
}

Status VrrpSocket::accept_only_vrids(std::span<const std::uint8_t> vrids) {
  // IPv4 raw sockets see the IP header: X = its length, then the VRID is at X + 1. IPv6 raw
  // sockets see the VRRP message itself: the VRID is at offset 1. Then one comparison per VRID,
  // each jumping to "accept" (the last instruction) on a match.
  std::vector<sock_filter> code;
  if (source_.is_v4()) {
    code.push_back(BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0));
    code.push_back(BPF_STMT(BPF_LD | BPF_B | BPF_IND, 1));
  } else {
    code.push_back(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1));
  }
  const std::size_t n = std::min<std::size_t>(vrids.size(), 255);
  for (std::size_t i = 0; i < n; ++i) {
    code.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vrids[i], static_cast<std::uint8_t>(n - i), 0));
  }
  code.push_back(BPF_STMT(BPF_RET | BPF_K, 0));
  code.push_back(BPF_STMT(BPF_RET | BPF_K, 0xffff));
  sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
  if (::setsockopt(fd_.get(), SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0) {
    return Error::from_errno("cannot attach the VRID filter to the VRRP socket");
  }
  return {};
}

void VrrpSocket::receive(Batch& batch) {
  constexpr std::size_t kControl = 128;
  std::array<mmsghdr, Batch::kPackets> msgs{};
  std::array<iovec, Batch::kPackets> iovs{};
  std::array<sockaddr_in6, Batch::kPackets> from{};
  alignas(cmsghdr) std::array<std::array<char, kControl>, Batch::kPackets> control;
  const bool v6 = source_.is_v6();
  for (std::size_t i = 0; i < Batch::kPackets; ++i) {
    iovs[i] = {batch.data[i].data(), Batch::kBytes};
    msghdr& m = msgs[i].msg_hdr;
    m.msg_iov = &iovs[i];
    m.msg_iovlen = 1;
    if (v6) {
      m.msg_name = &from[i];
      m.msg_namelen = sizeof from[i];
      m.msg_control = control[i].data();
      m.msg_controllen = kControl;
    }
  }
  const int n = ::recvmmsg(fd_.get(), msgs.data(), Batch::kPackets, MSG_DONTWAIT, nullptr);
  batch.count = n > 0 ? static_cast<std::size_t>(n) : 0;
  for (std::size_t i = 0; i < batch.count; ++i) {
    batch.length[i] = msgs[i].msg_len;
    vrrp::PacketContext& context = batch.context[i];
    context = {};
    if (!v6) continue;
    msghdr& m = msgs[i].msg_hdr;
    context.source = IpAddress::from_bytes(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(&from[i].sin6_addr), 16));
    context.checksum_checked = true;  // IPV6_CHECKSUM: the kernel dropped bad ones
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
      if (c->cmsg_level != IPPROTO_IPV6) continue;
      if (c->cmsg_type == IPV6_HOPLIMIT) {
        int hops = 0;
        std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
        context.hop_limit = hops;
      } else if (c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        context.destination = IpAddress::from_bytes(std::span<const std::uint8_t>(
            reinterpret_cast<const std::uint8_t*>(&info.ipi6_addr), 16));
      }
    }
  }
}

}  // namespace lvsctl::director
