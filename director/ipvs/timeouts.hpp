#pragma once
// IPVS connection timeouts (`ipvsadm --set`, keepalived's `lvs_timeouts`): the values and the
// rule that decides what to send, pure.
//
// keepalived 2.2.7: before it first changes them it reads the kernel's values; every value the
// configuration leaves out (or sets to 0) is sent as that original, so removing `lvs_timeouts`
// at a reload, or stopping, puts the kernel's own values back.
#include <cstdint>

namespace lvsctl::director::ipvs {

// Connection timeouts in seconds; 0 sent to the kernel leaves that value unchanged.
struct Timeouts {
  std::uint32_t tcp = 0;
  std::uint32_t tcp_fin = 0;
  std::uint32_t udp = 0;
  bool any() const { return tcp != 0 || tcp_fin != 0 || udp != 0; }
  bool operator==(const Timeouts&) const = default;
};

// What to send for `configured` (0: not configured) once the kernel's `original` is known:
// each configured value, else the original.
Timeouts timeouts_to_set(const Timeouts& configured, const Timeouts& original);

}  // namespace lvsctl::director::ipvs
