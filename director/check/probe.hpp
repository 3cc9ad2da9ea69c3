#pragma once
// Probe: one checker's I/O on the EventLoop. start() begins one attempt (connect, HTTP exchange,
// script run) and `done` is called exactly once with its outcome, always from the loop and never
// inside start(). Destroying a probe cancels a running attempt (unwatch, cancel timers, kill the
// script); `done` is then not called. No probe blocks, spawns threads, or forks per TCP/HTTP check.
#include <functional>
#include <memory>

#include "director/check/check_config.hpp"
#include "director/check/probe_result.hpp"
#include "shared/event_loop.hpp"

namespace lvsctl::director::check {

class TlsClientContext;
class SynProber;

class Probe {
 public:
  using Done = std::function<void(ProbeResult)>;
  virtual ~Probe() = default;
  virtual void start(Done done) = 0;
};

struct ProbeContext {
  EventLoop& loop;
  TlsClientContext* tls = nullptr;  // required for SSL_GET
  SynProber* syn = nullptr;         // when set, IPv4 TCP_CHECKs are SYN probes (syn_probe.hpp)
};

// The probe for `checker` (its connect address is resolved: the real server's unless given).
std::unique_ptr<Probe> make_probe(const ProbeContext& context, const Checker& checker);

}  // namespace lvsctl::director::check
