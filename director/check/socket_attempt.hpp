#pragma once
// SocketAttempt: the socket, the timer and the completion of one attempt of a socket probe
// (TCP_CHECK, UDP_CHECK). begin() starts an attempt (closing a previous one); finish() closes the
// socket, cancels the timer and calls `done` exactly once; fail_soon() reports a failure from the
// loop, never inside start(). Destroying it cancels the attempt without calling `done`.
#include <string>

#include "director/check/probe.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::check {

class SocketAttempt {
 public:
  explicit SocketAttempt(EventLoop& loop) : loop_(loop) {}
  ~SocketAttempt() { close(); }
  SocketAttempt(const SocketAttempt&) = delete;
  SocketAttempt& operator=(const SocketAttempt&) = delete;

  void begin(Probe::Done done);
  void finish(ProbeResult result);
  void fail_soon(std::string reason);
  void close();  // unwatch and close the socket, cancel the timer

  Fd fd;
  TimerId timer = 0;

 private:
  EventLoop& loop_;
  Probe::Done done_;
};

}  // namespace lvsctl::director::check
