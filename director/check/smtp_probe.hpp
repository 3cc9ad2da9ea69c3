#pragma once
// SMTP_CHECK on the loop: a non-blocking connect (tcp_connect.hpp), then the conversation of
// smtp_dialogue.hpp. connect_timeout bounds each step on its own, as keepalived 2.2.7's does: the
// connect, the greeting, the HELO reply and the QUIT reply. Reads are bounded (smtp_reply.hpp):
// a stalled, flooding or malformed server fails the check and never holds up the loop.
#include <optional>
#include <string>

#include "director/check/probe.hpp"
#include "director/check/smtp_dialogue.hpp"
#include "director/check/socket_attempt.hpp"
#include "director/check/tcp_connect.hpp"

namespace lvsctl::director::check {

class SmtpProbe final : public Probe {
 public:
  SmtpProbe(EventLoop& loop, const Checker& checker);
  void start(Done done) override;

 private:
  void arm(std::string what);  // (re)starts connect_timeout for `what`
  void on_io(std::uint32_t events);
  void on_connected(std::uint32_t events);
  void on_readable();
  void send_pending();
  void fail(std::string reason) { attempt_.finish(ProbeResult::down(std::move(reason))); }
  std::string from() const { return " from " + to_string(spec_->target); }  // for reasons

  EventLoop& loop_;
  SocketAttempt attempt_;
  Result<ConnectSpec> spec_;  // built once; an error fails every check with its message
  Duration timeout_;
  std::string helo_name_;
  std::optional<SmtpDialogue> dialogue_;  // set once connected
  std::string pending_;                   // octets still to send
};

}  // namespace lvsctl::director::check
