#pragma once
// IpvsSync: keeps the kernel's IPVS table equal to the desired one, by plan (desired vs actual)
// and apply, never by flushing (except lvs_flush at start, as keepalived does). When the kernel
// has no IPVS it says so once and stays off; VRRP keeps running. Failed operations (e.g. EINVAL
// for every destination while lo is down in a fresh namespace) are logged with the reason and
// retried until they succeed.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "director/ipvs/client.hpp"
#include "shared/event_loop.hpp"

namespace lvsctl::director {

class IpvsSync {
 public:
  explicit IpvsSync(EventLoop& loop);
  ~IpvsSync();

  // Brings the kernel to `desired`. `flush`: remove services we do not own (lvs_flush).
  void apply(ipvs::Table desired, bool flush = false);

  bool available() const { return client_.has_value(); }
  const std::string& unavailable_reason() const { return unavailable_reason_; }
  // The kernel's table with counters (empty when IPVS is unavailable).
  Result<ipvs::Table> table();
  // Netlink requests sent so far.
  std::uint64_t requests_sent() const;

 private:
  void sync();
  void schedule_retry();

  EventLoop& loop_;
  std::optional<ipvs::IpvsClient> client_;
  std::string unavailable_reason_;
  ipvs::Table desired_;
  bool flush_ = false;
  std::vector<ipvs::ServiceKey> owned_;
  TimerId retry_ = 0;
};

}  // namespace lvsctl::director
