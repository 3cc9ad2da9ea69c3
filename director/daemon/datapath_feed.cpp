#include "director/daemon/datapath_feed.hpp"

namespace lvsctl::director {

std::string feed_health_change(DesiredTable& desired, datapath::Datapath& datapath,
                               const config::Config& config, const HealthLookup& health,
                               std::span<const std::size_t> changed,
                               const datapath::HeldVips& held) {
  const auto delta = desired.update(config, health, changed);
  if (delta && delta->empty()) return {};
  if (delta) {
    if (auto line = datapath.apply_changed(*delta, held)) return *line;
  }
  return datapath.apply(desired.table(), held);
}

}  // namespace lvsctl::director
