#include "firewall/vrrp_request.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

namespace lvsctl::firewall {

Result<PeerAddress> parse_peer(std::string_view text) {
  const std::string s(text);
  PeerAddress p;
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, s.c_str(), p.bytes.data()) == 1) {
    p.version = IpVersion::V4;
    inet_ntop(AF_INET, p.bytes.data(), buf, sizeof buf);
  } else if (inet_pton(AF_INET6, s.c_str(), p.bytes.data()) == 1) {
    p.version = IpVersion::V6;
    inet_ntop(AF_INET6, p.bytes.data(), buf, sizeof buf);
  } else {
    return Error{fmt::format("peer '{}' is not an IPv4 or IPv6 address", text)};
  }
  p.text = buf;
  return p;
}

std::vector<PeerAddress> VrrpRequest::peers_of(IpVersion v) const {
  std::vector<PeerAddress> out;
  for (const auto& p : peers) {
    if (p.version == v) out.push_back(p);
  }
  return out;
}

Status validate(const VrrpRequest& request) {
  if (request.interface) {
    const auto& name = *request.interface;
    if (name.empty() || name.size() > 15 || name.find('/') != std::string::npos ||
        name.find(' ') != std::string::npos) {
      return Error{fmt::format("interface '{}' is not a valid interface name", name)};
    }
  }
  if (!request.ipv4 && !request.ipv6) return Error{"neither IPv4 nor IPv6 VRRP requested"};
  if (!request.peers.empty()) {
    for (const auto& p : request.peers) {
      if (!request.wants(p.version)) {
        return Error{fmt::format("peer {} is IPv6 but IPv6 VRRP was not requested (add --ipv6)",
                                 p.text)};
      }
    }
    for (IpVersion v : {IpVersion::V4, IpVersion::V6}) {
      if (request.wants(v) && request.peers_of(v).empty()) {
        return Error{fmt::format("--peer lists no {} address although {} VRRP is requested",
                                 v == IpVersion::V4 ? "IPv4" : "IPv6",
                                 v == IpVersion::V4 ? "IPv4" : "IPv6")};
      }
    }
  }
  return {};
}

}  // namespace lvsctl::firewall
