#pragma once
// IpvsSync: keeps the kernel's IPVS table equal to the desired one, by plan (desired vs actual)
// and apply, never by flushing (except lvs_flush at start, as keepalived does). When the kernel
// has no IPVS it says so once and stays off; VRRP keeps running. Failed operations (e.g. EINVAL
// for every destination while lo is down in a fresh namespace) are logged with the reason and
// retried until they succeed.
//
// The kernel's table is read (one dump per service) only at the first sync and after a failed
// apply; otherwise "actual" is the table as the last successful apply left it, so an unchanged
// reload of 10,000 services costs a plan in memory and no netlink request. Like keepalived, it
// does not notice services someone else changes behind its back (ipvsadm by hand) until the
// next failed apply or restart.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "director/ipvs/client.hpp"
#include "director/ipvs/plan.hpp"
#include "shared/event_loop.hpp"

namespace lvsctl::director {

class IpvsSync {
 public:
  explicit IpvsSync(EventLoop& loop);
  ~IpvsSync();

  // What one sync did, for the daemon's log lines.
  struct Outcome {
    bool available = true;     // false: IPVS is off, nothing was done
    bool kernel_read = false;  // the kernel's table was dumped before planning
    std::size_t ops = 0;       // operations planned (and sent)
    bool ok = true;            // all of them succeeded (otherwise a retry is scheduled)
    std::uint64_t requests = 0;  // netlink requests sent (read + apply)
    std::chrono::duration<double> read{}, plan{}, apply{};
    // "IPVS plan 0.019 s, 0 ops applied in 0.000 s, 0 netlink requests" (with "table read
    // 1.2 s, " when read), or "IPVS off".
    std::string to_string() const;
  };

  // Brings the kernel to `desired`. `flush`: remove services we do not own (lvs_flush).
  Outcome apply(ipvs::Table desired, bool flush = false);

  // A health change: each of `changed` replaces the desired service with its key. Only those
  // services are planned, against the kernel's table as last applied, and sent (the rest of the
  // table is not looked at). Falls back to a whole sync when the kernel must be read first, a
  // retry is pending, lvs_flush is still to do, or a key is not in the desired table.
  Outcome apply_changed(const std::vector<ipvs::Service>& changed);
  // Daemon stop: removes every service this sync programmed (others' services stay), once,
  // without retry. Logged.
  void release();

  // lvs_timeouts, as keepalived 2.2.7 (see ipvs/timeouts.hpp): `configured` (0: not set) is
  // sent at start and at every reload that applies a configuration; the kernel's values are
  // read before the first change, and sent back when nothing is configured any more and by
  // restore_timeouts() (daemon stop, with or without --dont-release-ipvs). Logged; a failure
  // is logged and not retried (keepalived does the same).
  void set_timeouts(const ipvs::Timeouts& configured);
  void restore_timeouts();

  bool available() const { return client_.has_value(); }
  const std::string& unavailable_reason() const { return unavailable_reason_; }
  // Netlink requests sent so far to keep the kernel in sync (status reads the table through its
  // own socket, so a test can count what a reload sent).
  std::uint64_t requests_sent() const;

 private:
  Outcome sync();
  // Applies `ops`: true when all succeeded as planned; otherwise logs, forgets the kernel's
  // table (read again at the retry) and schedules the retry.
  // `what` prefixes the log line ("health change of 1 service: ").
  bool send(const std::vector<ipvs::Op>& ops, Outcome& out, std::string_view what = {});
  void schedule_retry();

  EventLoop& loop_;
  std::optional<ipvs::IpvsClient> client_;
  std::string unavailable_reason_;
  ipvs::Table desired_;
  std::optional<ipvs::Table> known_;  // the kernel's table as far as we know; nullopt: read it
  bool flush_ = false;
  std::vector<ipvs::ServiceKey> owned_;
  TimerId retry_ = 0;
  std::optional<ipvs::Timeouts> original_timeouts_;  // read before our first change
};

}  // namespace lvsctl::director
