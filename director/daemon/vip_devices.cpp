#include "director/daemon/vip_devices.hpp"

#include <algorithm>

namespace lvsctl::director {

const std::string& vip_device(const config::VirtualAddress& vip,
                              const std::string& default_device) {
  return vip.dev.empty() ? default_device : vip.dev;
}

std::vector<GratuitousBatch> gratuitous_batches(const std::vector<config::VirtualAddress>& vips,
                                                const std::string& default_device) {
  std::vector<GratuitousBatch> batches;
  for (const auto& vip : vips) {
    const std::string& dev = vip_device(vip, default_device);
    auto it = std::find_if(batches.begin(), batches.end(),
                           [&](const GratuitousBatch& b) { return b.ifname == dev; });
    if (it == batches.end()) it = batches.insert(batches.end(), GratuitousBatch{dev, {}});
    it->vips.push_back(vip.prefix.address);
  }
  return batches;
}

}  // namespace lvsctl::director
