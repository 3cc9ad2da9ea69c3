#include "director/check/smtp_dialogue.hpp"

#include <fmt/format.h>

namespace lvsctl::director::check {
namespace {

using Step = SmtpDialogue::Step;

Step down(std::string why) { return Step{Step::Kind::Down, std::move(why)}; }

}  // namespace

std::string_view SmtpDialogue::awaited() const {
  switch (phase_) {
    case Phase::Greeting: return "greeting";
    case Phase::HeloReply: return "HELO reply";
    case Phase::QuitReply:
    case Phase::Done: break;
  }
  return "QUIT reply";
}

std::string SmtpDialogue::closed() const {
  return fmt::format("connection closed before the {}", awaited());
}

Step SmtpDialogue::receive(std::string_view octets) {
  if (phase_ == Phase::Done) return {};
  buffer_.append(octets);
  if (phase_ == Phase::QuitReply) {
    // keepalived 2.2.7 reads one line after QUIT and does not look at it.
    if (buffer_.find('\n') != std::string::npos) {
      phase_ = Phase::Done;
      return Step{Step::Kind::Up, "greeting 220, HELO 250"};
    }
    if (buffer_.size() >= kMaxSmtpLine) {
      phase_ = Phase::Done;
      return down(fmt::format("QUIT reply line longer than {} octets", kMaxSmtpLine));
    }
    return {};
  }
  const SmtpReply reply = parse_smtp_reply(buffer_);
  if (reply.status == SmtpReply::Status::Incomplete) return {};
  const bool greeting = phase_ == Phase::Greeting;
  const std::string_view what = greeting ? "greeting banner" : "HELO response";
  if (reply.status == SmtpReply::Status::Malformed) {
    phase_ = Phase::Done;
    return down(fmt::format("bad {}: {}", what, reply.text));
  }
  const int expected = greeting ? 220 : 250;
  if (reply.code != expected) {
    phase_ = Phase::Done;
    return down(fmt::format("bad {}: {} {}", what, reply.code, reply.text));
  }
  // What came after the reply was not asked for: dropped, as keepalived drops it.
  buffer_.clear();
  if (greeting) {
    phase_ = Phase::HeloReply;
    return Step{Step::Kind::Send, "HELO " + helo_name_ + "\r\n"};
  }
  phase_ = Phase::QuitReply;
  return Step{Step::Kind::Send, "QUIT\r\n"};
}

}  // namespace lvsctl::director::check
