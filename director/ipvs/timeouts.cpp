#include "director/ipvs/timeouts.hpp"

namespace lvsctl::director::ipvs {

Timeouts timeouts_to_set(const Timeouts& configured, const Timeouts& original) {
  auto pick = [](std::uint32_t want, std::uint32_t was) { return want != 0 ? want : was; };
  return {pick(configured.tcp, original.tcp), pick(configured.tcp_fin, original.tcp_fin),
          pick(configured.udp, original.udp)};
}

}  // namespace lvsctl::director::ipvs
