#include "director/ipvs/model.hpp"

#include <algorithm>
#include <string>

namespace lvsctl::director::ipvs {

ServiceKey ServiceKey::inet(Protocol protocol, const IpAddress& address, std::uint16_t port) {
  ServiceKey k;
  k.family = address.family();
  k.protocol = protocol;
  k.address = address;
  k.port = port;
  return k;
}

ServiceKey ServiceKey::mark(std::uint32_t fwmark, AddressFamily family) {
  ServiceKey k;
  k.family = family;
  k.fwmark = fwmark;
  k.address = IpAddress::unspecified(family);
  return k;
}

namespace {
std::string endpoint(const IpAddress& a, std::uint16_t port) {
  if (a.is_v6()) return "[" + a.to_string() + "]:" + std::to_string(port);
  return a.to_string() + ":" + std::to_string(port);
}
}  // namespace

std::string ServiceKey::to_string() const {
  if (is_fwmark()) {
    return "FWM " + std::to_string(fwmark) + (family == AddressFamily::V6 ? " IPv6" : "");
  }
  return std::string(ipvs::to_string(protocol)) + " " + endpoint(address, port);
}

bool Destination::same_settings(const Destination& o) const {
  return address == o.address && port == o.port && forwarding == o.forwarding &&
         weight == o.weight && upper_threshold == o.upper_threshold &&
         lower_threshold == o.lower_threshold;
}

std::string Destination::endpoint_string() const { return endpoint(address, port); }

std::uint32_t full_netmask(AddressFamily family) {
  return family == AddressFamily::V4 ? 0xffffffffU : 128U;
}

std::uint32_t Service::effective_netmask() const {
  return netmask.value_or(full_netmask(key.family));
}

bool Service::same_settings(const Service& o) const {
  return scheduler == o.scheduler && (flags & service_flag::all) == (o.flags & service_flag::all) &&
         timeout == o.timeout && effective_netmask() == o.effective_netmask() &&
         persistence_engine == o.persistence_engine;
}

const Destination* Service::find(const IpAddress& address, std::uint16_t port) const {
  auto it = std::find_if(destinations.begin(), destinations.end(), [&](const Destination& d) {
    return d.address == address && d.port == port;
  });
  return it == destinations.end() ? nullptr : &*it;
}

std::string_view to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::Tcp: return "TCP";
    case Protocol::Udp: return "UDP";
    case Protocol::Sctp: return "SCTP";
  }
  return "?";
}

std::string_view to_string(Forwarding forwarding) {
  switch (forwarding) {
    case Forwarding::Nat: return "Masq";
    case Forwarding::Local: return "Local";
    case Forwarding::Tunnel: return "Tunnel";
    case Forwarding::DirectRouting: return "Route";
    case Forwarding::Bypass: return "Bypass";
  }
  return "?";
}

}  // namespace lvsctl::director::ipvs
