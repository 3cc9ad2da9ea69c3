#include "firewall/vrrp_request.hpp"

#include <fmt/format.h>

namespace lvsctl::firewall {

Result<IpAddress> parse_peer(std::string_view text) {
  if (auto address = IpAddress::parse(text)) return *address;
  return Error{fmt::format("peer '{}' is not an IPv4 or IPv6 address", text)};
}

std::vector<IpAddress> VrrpRequest::peers_of(AddressFamily v) const {
  std::vector<IpAddress> out;
  for (const auto& p : peers) {
    if (p.family() == v) out.push_back(p);
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
      if (!request.wants(p.family())) {
        return Error{fmt::format("peer {} is IPv6 but IPv6 VRRP was not requested (add --ipv6)",
                                 p.to_string())};
      }
    }
    for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
      if (request.wants(v) && request.peers_of(v).empty()) {
        return Error{fmt::format("--peer lists no {} address although {} VRRP is requested",
                                 v == AddressFamily::V4 ? "IPv4" : "IPv6",
                                 v == AddressFamily::V4 ? "IPv4" : "IPv6")};
      }
    }
  }
  return {};
}

}  // namespace lvsctl::firewall
