#include "director/datapath/nft_dr_host.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <map>
#include <span>
#include <cstring>
#include <memory>
#include <vector>

#include "shared/fd.hpp"

namespace lvsctl::director::datapath::nftlb {
namespace {

struct MnlCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlSocket = std::unique_ptr<mnl_socket, MnlCloser>;

Result<MnlSocket> open_route() {
  MnlSocket s(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!s) return Error{fmt::format("rtnetlink socket: {}", std::strerror(errno))};
  if (mnl_socket_bind(s.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    return Error{fmt::format("rtnetlink bind: {}", std::strerror(errno))};
  }
  return s;
}

constexpr std::uint16_t kUsable =
    NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;

int neighbour_cb(const nlmsghdr* nlh, void* data) {
  auto& out = *static_cast<std::map<IpAddress, Mac>*>(data);
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(nlh));
  if (ndm->ndm_family != AF_INET || !(ndm->ndm_state & kUsable)) return MNL_CB_OK;
  std::array<const nlattr*, NDA_MAX + 1> attrs{};
  mnl_attr_parse(
      nlh, sizeof(ndmsg),
      [](const nlattr* attr, void* table_ptr) {
        auto& table = *static_cast<std::array<const nlattr*, NDA_MAX + 1>*>(table_ptr);
        const auto type = mnl_attr_get_type(attr);
        if (type <= NDA_MAX) table[type] = attr;
        return MNL_CB_OK;
      },
      &attrs);
  const nlattr* dst = attrs[NDA_DST];
  const nlattr* lladdr = attrs[NDA_LLADDR];
  if (dst && mnl_attr_get_payload_len(dst) != 4) dst = nullptr;
  if (lladdr && mnl_attr_get_payload_len(lladdr) != 6) lladdr = nullptr;
  if (!dst || !lladdr) return MNL_CB_OK;
  auto address = IpAddress::from_bytes(
      std::span(static_cast<const std::uint8_t*>(mnl_attr_get_payload(dst)), 4));
  if (!address) return MNL_CB_OK;
  Mac mac{};
  std::memcpy(mac.data(), mnl_attr_get_payload(lladdr), mac.size());
  out[*address] = mac;
  return MNL_CB_OK;
}

}  // namespace

DrFacts::Interface interface_facts(const std::string& ifname, bool& found) {
  DrFacts::Interface out;
  found = false;
  const unsigned index = if_nametoindex(ifname.c_str());
  if (index == 0 || ifname.size() >= IFNAMSIZ) return out;
  Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return out;
  ifreq req{};
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  if (::ioctl(sock.get(), SIOCGIFHWADDR, &req) < 0) return out;
  out.ifindex = static_cast<int>(index);
  std::memcpy(out.mac.data(), req.ifr_hwaddr.sa_data, out.mac.size());
  found = true;
  return out;
}

Result<std::map<IpAddress, Mac>> read_neighbours() {
  auto sock = open_route();
  if (!sock) return sock.error();
  std::vector<char> buf(static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETNEIGH;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  const auto seq = static_cast<std::uint32_t>(::time(nullptr));
  nlh->nlmsg_seq = seq;
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
  ndm->ndm_family = AF_INET;
  if (mnl_socket_sendto(sock->get(), nlh, nlh->nlmsg_len) < 0) {
    return Error{fmt::format("neighbour dump: {}", std::strerror(errno))};
  }
  const auto portid = mnl_socket_get_portid(sock->get());
  std::map<IpAddress, Mac> out;
  for (;;) {
    const auto n = mnl_socket_recvfrom(sock->get(), buf.data(), buf.size());
    if (n < 0) return Error{fmt::format("neighbour dump: {}", std::strerror(errno))};
    const int rc = mnl_cb_run(buf.data(), static_cast<std::size_t>(n), seq, portid,
                              neighbour_cb, &out);
    if (rc == MNL_CB_STOP) break;
    if (rc < 0) return Error{fmt::format("neighbour dump: {}", std::strerror(errno))};
  }
  return out;
}

Status resolve_neighbour(const IpAddress& address, const std::string& ifname) {
  const unsigned index = if_nametoindex(ifname.c_str());
  if (index == 0) return Error{fmt::format("interface {} not found", ifname)};
  auto sock = open_route();
  if (!sock) return sock.error();
  std::vector<char> buf(static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_NEWNEIGH;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK;
  nlh->nlmsg_seq = 1;
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
  ndm->ndm_family = AF_INET;
  ndm->ndm_ifindex = static_cast<int>(index);
  ndm->ndm_state = NUD_PERMANENT;  // ignored with NTF_USE (what iproute2 sends)
  ndm->ndm_flags = NTF_USE;
  mnl_attr_put(nlh, NDA_DST, 4, address.bytes().data());
  if (mnl_socket_sendto(sock->get(), nlh, nlh->nlmsg_len) < 0) {
    return Error{fmt::format("neighbour resolution: {}", std::strerror(errno))};
  }
  const auto n = mnl_socket_recvfrom(sock->get(), buf.data(), buf.size());
  if (n < 0) return Error{fmt::format("neighbour resolution: {}", std::strerror(errno))};
  if (mnl_cb_run(buf.data(), static_cast<std::size_t>(n), 1, mnl_socket_get_portid(sock->get()),
                 nullptr, nullptr) < 0) {
    return Error{fmt::format("resolving {} on {}: {}", address.to_string(), ifname,
                             std::strerror(errno))};
  }
  return {};
}

}  // namespace lvsctl::director::datapath::nftlb
