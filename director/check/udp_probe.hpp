#pragma once
// UDP_CHECK: one datagram (the payload) from a connected UDP socket, then within connect_timeout
// an ICMP error is down (port unreachable: "Connection refused"), a reply is judged by
// judge_udp_reply(), and silence is up unless require_reply asks for an answer (keepalived
// 2.2.7's semantics).
#include <vector>

#include "director/check/probe.hpp"
#include "director/check/socket_attempt.hpp"
#include "director/check/tcp_connect.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::check {

class UdpProbe final : public Probe {
 public:
  UdpProbe(EventLoop& loop, const Checker& checker);
  void start(Done done) override;

 private:
  bool on_readable();  // true: the probe finished
  void on_timeout();

  EventLoop& loop_;
  SocketAttempt attempt_;
  Result<ConnectSpec> spec_;
  config::UdpCheck udp_;
  Duration timeout_;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace lvsctl::director::check
