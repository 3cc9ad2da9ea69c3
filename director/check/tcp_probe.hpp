#pragma once
// TCP_CHECK: a non-blocking connect to the target within connect_timeout; success once the
// handshake completes (the socket is then closed).
#include "director/check/probe.hpp"
#include "director/check/socket_attempt.hpp"
#include "director/check/tcp_connect.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::check {

class TcpProbe final : public Probe {
 public:
  TcpProbe(EventLoop& loop, Endpoint target, const Checker& checker);
  void start(Done done) override;

 private:
  void on_connected(std::uint32_t events);

  EventLoop& loop_;
  SocketAttempt attempt_;
  Result<ConnectSpec> spec_;  // parsed once; an error fails every check with its message
  Duration timeout_;
};

}  // namespace lvsctl::director::check
