#pragma once
// Keeps the kernel's `lvsctl_vrrp` tables (director/daemon/accept_filter) equal to the VIPs
// dropped now: each change replaces both families' tables in one nftables transaction; the
// tables leave with this object (RAII) or clear(). Adapter: no decisions.
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::director {

class AcceptFilterTables {
 public:
  AcceptFilterTables() = default;
  AcceptFilterTables(const AcceptFilterTables&) = delete;
  AcceptFilterTables& operator=(const AcceptFilterTables&) = delete;
  ~AcceptFilterTables();

  // The tables dropping `vips` (none for no VIPs, which also clears an earlier run's tables).
  Status apply(const std::vector<IpAddress>& vips);
  // Whether apply(vips) would ask for something else than the last call did (failed or not:
  // a kernel without nf_tables is then reported once per change, not every loop round).
  bool changes(const std::vector<IpAddress>& vips) const { return !tried_ || vips != wanted_; }
  bool dropping() const { return !wanted_.empty(); }
  // Both tables removed (stop).
  Status clear();

 private:
  bool written_ = false;  // the kernel holds (or may hold) our tables
  bool tried_ = false;
  std::vector<IpAddress> wanted_;  // as the last apply() asked
};

}  // namespace lvsctl::director
