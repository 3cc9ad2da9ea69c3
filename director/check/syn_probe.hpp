#pragma once
// TCP_CHECK to an IPv4 target as a SYN probe (see syn_prober.hpp): up when the real server's
// kernel answers the SYN with SYN-ACK, down on RST ("connection refused") or no answer within
// connect_timeout; reasons read as TcpProbe's, so logs stay the same. The source address is
// bindto, else the route's source for the target, found on the first probe and found again
// after a probe that timed out or failed (routes and addresses change).
#include <memory>
#include <optional>
#include <vector>

#include "director/check/probe.hpp"
#include "director/check/syn_prober.hpp"
#include "director/config/model.hpp"

namespace lvsctl::director::check {

// Whether a SYN probe can stand in for connect() for this TCP_CHECK: an IPv4 target, bindto
// IPv4 or not given, no bind_port (a configured source port belongs to a real connect()).
bool syn_probe_applies(const Endpoint& target, const Checker& checker);
// Whether this TCP_CHECK is a SYN probe under global_defs `tcp_check_mode`: only in `syn` mode,
// and only where syn_probe_applies() (so `connect` mode never opens a raw socket).
bool syn_probe_chosen(config::TcpCheckMode mode, const Endpoint& target, const Checker& checker);

// The SynProber for a CheckEngine running `servers` in `mode`: nullptr in `connect` mode, when no
// checker could use it, or when it cannot be opened (no CAP_NET_RAW): then IPv4 TCP_CHECKs
// connect() as IPv6 ones do, and why is logged once per process.
std::unique_ptr<SynProber> open_syn_prober(EventLoop& loop, const std::vector<RealServerConfig>& servers,
                                           config::TcpCheckMode mode);

class SynProbe final : public Probe, private SynProber::Listener {
 public:
  // `target` and `checker` must satisfy syn_probe_applies(). The prober must outlive the probe.
  SynProbe(SynProber& prober, const Endpoint& target, const Checker& checker);
  ~SynProbe() override { prober_.cancel(probe_); }
  SynProbe(const SynProbe&) = delete;
  SynProbe& operator=(const SynProbe&) = delete;
  void start(Done done) override;

 private:
  void on_syn_report(const SynReport& report) override;

  SynProber& prober_;
  Endpoint target_;
  SynRequest request_;
  bool bound_ = false;  // bindto given: request_.source never changes
  SynProber::ProbeId probe_ = 0;
  Done done_;
};

}  // namespace lvsctl::director::check
