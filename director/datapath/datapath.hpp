#pragma once
// The datapath seam: what forwards the virtual servers' traffic to the real servers. The daemon
// hands every implementation the same input — the desired table (config + health, see
// daemon/ipvs_desired) and the VIPs this director currently holds — and never knows which kernel
// facility carries it. Implementations: IPVS (ipvs_datapath, today's IpvsSync) and nftables
// (nft_datapath). VRRP internals stay out: several directors (connection sync, active-active
// behind ECMP) will differ only in what `held` says.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "director/ipvs/model.hpp"
#include "shared/ip_address.hpp"

namespace lvsctl::director::datapath {

enum class Backend : std::uint8_t { Ipvs, Nftables };
std::string_view to_string(Backend backend);  // "ipvs", "nftables"

// The VIPs whose traffic this director should forward now. `all`: every service (what IPVS has
// always done: a backup's table is ready, traffic only reaches the holder). A datapath that
// must act only where it holds the VIP (DR at netdev ingress) reads `vips`.
struct HeldVips {
  bool all = true;
  std::vector<IpAddress> vips;  // when !all: the VIPs of MASTER instances
  static HeldVips everything() { return {}; }
  bool holds(const IpAddress& vip) const;
};

// What the daemon and `director status` can know of a datapath without asking the kernel.
struct DatapathStatus {
  Backend backend = Backend::Ipvs;
  bool available = false;
  std::string unavailable_reason;
  std::uint64_t requests_sent = 0;  // netlink requests (IPVS) or messages (nftables) sent
  std::uint64_t transactions = 0;   // nftables: atomic batches committed so far
  std::uint64_t applies = 0;        // apply() calls and retries that planned against the kernel
  std::uint64_t apply_errors = 0;   // of those, the ones that failed (a retry follows)
};

class Datapath {
 public:
  virtual ~Datapath() = default;

  // Brings the kernel to `desired` for the services `held` covers. `flush`: also remove
  // services we do not own (lvs_flush, at start). Failures are logged and retried by the
  // implementation. Returns one line for the daemon's log ("IPVS plan 0.019 s, ...").
  virtual std::string apply(const ipvs::Table& desired, const HeldVips& held,
                            bool flush = false) = 0;

  // A health change: each of `changed` replaces the desired service with its key (other
  // destinations or weights; no service comes or goes). Only these services are planned and
  // written — at 10,000 services one small transaction instead of a plan of the whole table.
  // nullopt: this datapath has no such path; the caller applies the whole table instead.
  virtual std::optional<std::string> apply_changed(const std::vector<ipvs::Service>& /*changed*/,
                                                   const HeldVips& /*held*/) {
    return std::nullopt;
  }

  virtual DatapathStatus status() const = 0;
};

}  // namespace lvsctl::director::datapath
