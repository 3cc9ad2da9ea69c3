#include "director/ipvs/model.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

namespace lvsctl::director::ipvs {

std::optional<Address> Address::parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = Family::V4;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = Family::V6;
    return a;
  }
  return std::nullopt;
}

std::string Address::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::V4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

ServiceKey ServiceKey::inet(Protocol protocol, const Address& address, std::uint16_t port) {
  ServiceKey k;
  k.family = address.family;
  k.protocol = protocol;
  k.address = address;
  k.port = port;
  return k;
}

ServiceKey ServiceKey::mark(std::uint32_t fwmark, Family family) {
  ServiceKey k;
  k.family = family;
  k.fwmark = fwmark;
  k.address.family = family;
  return k;
}

namespace {
std::string endpoint(const Address& a, std::uint16_t port) {
  if (a.family == Family::V6) return "[" + a.to_string() + "]:" + std::to_string(port);
  return a.to_string() + ":" + std::to_string(port);
}
}  // namespace

std::string ServiceKey::to_string() const {
  if (is_fwmark()) {
    return "FWM " + std::to_string(fwmark) + (family == Family::V6 ? " IPv6" : "");
  }
  return std::string(ipvs::to_string(protocol)) + " " + endpoint(address, port);
}

bool Destination::same_settings(const Destination& o) const {
  return address == o.address && port == o.port && forwarding == o.forwarding &&
         weight == o.weight && upper_threshold == o.upper_threshold &&
         lower_threshold == o.lower_threshold;
}

std::string Destination::endpoint_string() const { return endpoint(address, port); }

std::uint32_t full_netmask(Family family) { return family == Family::V4 ? 0xffffffffU : 128U; }

std::uint32_t Service::effective_netmask() const {
  return netmask.value_or(full_netmask(key.family));
}

bool Service::same_settings(const Service& o) const {
  return scheduler == o.scheduler && (flags & service_flag::all) == (o.flags & service_flag::all) &&
         timeout == o.timeout && effective_netmask() == o.effective_netmask() &&
         persistence_engine == o.persistence_engine;
}

const Destination* Service::find(const Address& address, std::uint16_t port) const {
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
