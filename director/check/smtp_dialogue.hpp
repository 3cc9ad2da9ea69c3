#pragma once
// The SMTP_CHECK conversation, pure (keepalived 2.2.7's sequence): read the greeting, which must
// be 220; send "HELO helo_name"; its reply must be 250; send "QUIT"; any reply line to it ends the
// check as a success. The probe (smtp_probe.hpp) moves the octets; this decides.
#include <string>
#include <string_view>

#include "director/check/smtp_reply.hpp"

namespace lvsctl::director::check {

class SmtpDialogue {
 public:
  enum class Phase { Greeting, HeloReply, QuitReply, Done };
  struct Step {
    enum class Kind { Wait, Send, Up, Down };
    Kind kind = Kind::Wait;
    std::string text;  // Send: the octets to send; Up/Down: why
  };

  explicit SmtpDialogue(std::string helo_name) : helo_name_(std::move(helo_name)) {}

  // Octets the server sent (any split). After Send, the next octets answer what was sent.
  Step receive(std::string_view octets);
  // The server closed the connection before the reply awaited: why the check fails.
  std::string closed() const;
  Phase phase() const { return phase_; }
  // "greeting", "HELO reply", "QUIT reply": what is awaited, for timeouts and errors.
  std::string_view awaited() const;

 private:
  std::string helo_name_;
  Phase phase_ = Phase::Greeting;
  std::string buffer_;
};

}  // namespace lvsctl::director::check
