#include "director/datapath/held_vips.hpp"

#include <algorithm>

namespace lvsctl::director::datapath {
namespace {
void insert_sorted(std::vector<IpAddress>& v, const IpAddress& a) {
  auto at = std::lower_bound(v.begin(), v.end(), a);
  if (at == v.end() || *at != a) v.insert(at, a);
}
}  // namespace

HeldVips held_vips(const config::Config& config,
                   const std::function<bool(const std::string& instance)>& is_master) {
  HeldVips held;
  held.all = false;
  for (const auto& instance : config.vrrp_instances) {
    const bool master = is_master(instance.name);
    for (const auto* list : {&instance.virtual_ipaddress, &instance.virtual_ipaddress_excluded}) {
      for (const auto& vip : *list) {
        const IpAddress& a = vip.prefix.address;
        insert_sorted(held.managed, a);
        if (master) insert_sorted(held.vips, a);
        held.interface_of.emplace(a, vip.dev.empty() ? instance.interface : vip.dev);
      }
    }
  }
  return held;
}

}  // namespace lvsctl::director::datapath
