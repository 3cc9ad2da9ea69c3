#pragma once
// The datapath seam: what forwards the virtual servers' traffic to the real servers. The daemon
// hands every implementation the same input — the desired table (config + health, see
// daemon/ipvs_desired) and the VIPs this director currently holds — and never knows which kernel
// facility carries it. Implementations: IPVS (ipvs_datapath, today's IpvsSync) and nftables
// (nft_datapath). VRRP internals stay out: several directors (connection sync, active-active
// behind ECMP) will differ only in what `held` says.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "director/ipvs/model.hpp"
#include "director/ipvs/timeouts.hpp"
#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath {

enum class Backend : std::uint8_t { Ipvs, Nftables };
std::string_view to_string(Backend backend);  // "ipvs", "nftables"

// The VIPs whose traffic this director should forward now. `all`: every service (what IPVS has
// always done: a backup's table is ready, traffic only reaches the holder). A datapath that
// must act only where it holds the VIP (nftables: DR at netdev ingress, and NAT so a BACKUP on
// a shared segment never DNATs) reads `vips`. A virtual server address that no VRRP instance
// carries (`managed` lacks it: a VIP the operator configured by hand) is always held.
struct HeldVips {
  bool all = true;
  std::vector<IpAddress> vips;     // when !all: the VIPs of MASTER instances
  std::vector<IpAddress> managed;  // when !all: every VIP of every VRRP instance, any state
  // The interface each VRRP-managed VIP lives on (the instance's, or the VIP's `dev`): where a
  // DR datapath hooks its ingress chain.
  std::map<IpAddress, std::string> interface_of;
  static HeldVips everything() { return {}; }
  bool holds(const IpAddress& vip) const;
  bool operator==(const HeldVips&) const = default;
};

// What the daemon and `director status` can know of a datapath without asking the kernel.
struct DatapathStatus {
  Backend backend = Backend::Ipvs;
  bool available = false;
  std::string unavailable_reason;
  std::uint64_t requests_sent = 0;  // netlink requests (IPVS) or messages (nftables) sent
  std::uint64_t transactions = 0;   // nftables: atomic batches committed so far
  std::string table;                // nftables: "ip lvsctl" (and "netdev lvsctl" with DR)
  // What an operator should know about the datapath now: VIPs not held (BACKUP, no rules),
  // DR real servers whose MAC is not resolved yet, a failed transaction being retried.
  std::vector<std::string> notes;
  std::uint64_t applies = 0;        // apply() calls and retries that planned against the kernel
  std::uint64_t apply_errors = 0;   // of those, the ones that failed (a retry follows)
};

// A datapath that keeps its own table (nftables) lists it for `director status` as IPVS values:
// services, destinations with weight and forwarding, and the counters the datapath keeps
// (nftables NAT: connections per real server; DR: packets and bytes towards it). Called on the
// status thread; reads the kernel through its own socket.
using ListingSource = std::function<Result<ipvs::Table>()>;

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

  // lvs_timeouts (seconds; 0: not set), at start and at each applied reload. IPVS sets the
  // kernel's connection timeouts (keepalived's behaviour, see daemon/ipvs_sync); a datapath
  // they do not apply to says so in a warning when any is set.
  virtual void set_timeouts(const ipvs::Timeouts& configured) = 0;

  // Empty: `director status` lists the kernel's IPVS table (the IPVS datapath).
  virtual ListingSource listing() const { return {}; }
  // When destroyed (daemon stop), a datapath removes the virtual servers it created, as
  // keepalived does; after keep_on_exit() (--dont-release-ipvs) it leaves them in the kernel.
  void keep_on_exit() { keep_on_exit_ = true; }

 protected:
  bool keep_on_exit_ = false;
};

}  // namespace lvsctl::director::datapath
