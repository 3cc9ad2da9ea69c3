#pragma once
// An SMTP reply (RFC 5321 4.2), pure: one or more lines "NNN-text" closed by "NNN text" or "NNN",
// all with the same three-digit code, each ended by LF (CRLF or a bare LF, as keepalived reads
// them). Bounded: a line longer than kMaxSmtpLine or a reply longer than kMaxSmtpReply octets is
// malformed, so a server sending an endless line never grows the buffer.
#include <cstddef>
#include <string>
#include <string_view>

namespace lvsctl::director::check {

inline constexpr std::size_t kMaxSmtpLine = 512;   // RFC 5321 4.5.3.1.5, CRLF included
inline constexpr std::size_t kMaxSmtpReply = 8192;

struct SmtpReply {
  enum class Status { Incomplete, Complete, Malformed };
  Status status = Status::Incomplete;
  int code = 0;           // Complete: the reply's code
  std::string text;       // Complete: the last line's text (printable, at most 80 octets);
                          // Malformed: what is wrong
  std::size_t size = 0;   // Complete: octets of `buffer` the reply takes
};

// The first reply of `buffer` (the octets read so far).
SmtpReply parse_smtp_reply(std::string_view buffer);

}  // namespace lvsctl::director::check
