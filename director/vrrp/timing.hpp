#pragma once
// VRRP protocol timers (RFC 3768 section 6.1, RFC 5798 section 6.1), as keepalived computes them.
//   v2: Skew_Time = (256 - Priority) / 256 s
//   v3: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
//   Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time
#include <chrono>
#include <cstdint>

namespace lvsctl::director::vrrp {

using Micros = std::chrono::microseconds;

constexpr Micros skew_time(uint8_t version, unsigned priority, Micros master_adver_interval) {
  const auto weight = static_cast<int64_t>(256u - priority);
  if (version == 3) return Micros(weight * master_adver_interval.count() / 256);
  return Micros(weight * 1'000'000 / 256);
}

constexpr Micros master_down_interval(uint8_t version, unsigned priority,
                                      Micros master_adver_interval) {
  return 3 * master_adver_interval + skew_time(version, priority, master_adver_interval);
}

static_assert(skew_time(2, 100, Micros(1'000'000)) == Micros(609'375));
static_assert(master_down_interval(3, 50, Micros(100'000)) == Micros(380'468));

}  // namespace lvsctl::director::vrrp
