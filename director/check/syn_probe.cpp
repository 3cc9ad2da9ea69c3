#include "director/check/syn_probe.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "director/check/tcp_connect.hpp"

namespace lvsctl::director::check {
namespace {

std::optional<Ipv4> ipv4(const IpAddress& address) {
  if (!address.is_v4()) return std::nullopt;
  return Ipv4{address.v4_host_order()};
}

}  // namespace

bool syn_probe_applies(const Endpoint& target, const Checker& checker) {
  return target.ip.is_v4() && !checker.bind_port && (!checker.bindto || checker.bindto->is_v4());
}

bool syn_probe_chosen(config::TcpCheckMode mode, const Endpoint& target, const Checker& checker) {
  return mode == config::TcpCheckMode::Syn && syn_probe_applies(target, checker);
}

std::unique_ptr<SynProber> open_syn_prober(EventLoop& loop, const std::vector<RealServerConfig>& servers,
                                           config::TcpCheckMode mode) {
  const bool wanted = std::any_of(servers.begin(), servers.end(), [mode](const RealServerConfig& rs) {
    return std::any_of(rs.checkers.begin(), rs.checkers.end(), [mode](const Checker& c) {
      return c.kind == CheckerKind::Tcp && !c.disabled && syn_probe_chosen(mode, c.connect, c);
    });
  });
  if (!wanted) return nullptr;
  auto prober = SynProber::create(loop);
  if (!prober) {
    static bool said = false;  // once per process, not on every reload
    if (!said) {
      spdlog::warn("TCP_CHECK: no SYN probes ({}); IPv4 checks connect() instead", prober.error().message);
      said = true;
    }
    return nullptr;
  }
  return std::move(prober).value();
}

SynProbe::SynProbe(SynProber& prober, const Endpoint& target, const Checker& checker)
    : prober_(prober), target_(target) {
  request_.target = ipv4(target.ip).value_or(0);
  request_.port = target.port;
  request_.timeout = checker.connect_timeout;
  if (checker.bindto) {
    request_.source = ipv4(*checker.bindto);
    bound_ = true;
  }
}

void SynProbe::start(Done done) {
  prober_.cancel(probe_);
  done_ = std::move(done);
  probe_ = prober_.start(request_, *this);
}

void SynProbe::on_syn_report(const SynReport& report) {
  probe_ = 0;
  if (!bound_) {
    // Keep the route's source while the target answers; look it up again after a silence or error.
    const bool answered =
        report.outcome == SynOutcome::Open || report.outcome == SynOutcome::Refused;
    request_.source =
        answered && report.source != 0 ? std::optional<Ipv4>(report.source) : std::nullopt;
  }
  ProbeResult result;
  switch (report.outcome) {
    case SynOutcome::Open:
      result = ProbeResult::up("connected");
      break;
    case SynOutcome::Refused:
      result = ProbeResult::down("connect to " + to_string(target_) + ": " +
                                 std::strerror(ECONNREFUSED));
      break;
    case SynOutcome::TimedOut:
      result = ProbeResult::down("connect timeout after " + format_seconds(request_.timeout));
      break;
    case SynOutcome::Failed:
      result = ProbeResult::down(report.error);
      break;
  }
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace lvsctl::director::check
