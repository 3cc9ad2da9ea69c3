#pragma once
// TCP_CHECK: a non-blocking connect to the target within connect_timeout; success once the
// handshake completes (the socket is then closed).
#include "director/check/probe.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::check {

class TcpProbe final : public Probe {
 public:
  TcpProbe(EventLoop& loop, Endpoint target, const CheckerConfig& checker);
  ~TcpProbe() override { finish_io(); }
  void start(Done done) override;

 private:
  void finish(ProbeResult result);
  void finish_io();

  EventLoop& loop_;
  Endpoint target_;
  std::optional<std::string> bindto_;
  std::optional<std::uint16_t> bind_port_;
  Duration timeout_;
  Fd fd_;
  TimerId timer_ = 0;
  Done done_;
};

}  // namespace lvsctl::director::check
