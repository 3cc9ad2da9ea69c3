#include "realserver/observation.hpp"

namespace lvsctl::realserver {

const netlink::InterfaceAddress* Observation::on_lo(const IpAddress& a) const {
  for (const auto& entry : lo) {
    if (entry.address == a) return &entry;
  }
  return nullptr;
}

std::string Observation::sysctl(const std::string& key) const {
  const auto it = sysctls.find(key);
  return it == sysctls.end() ? std::string() : it->second;
}

}  // namespace lvsctl::realserver
