#include "director/check/smtp_reply.hpp"

#include <fmt/format.h>

namespace lvsctl::director::check {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// At most 80 octets of `text` for a log line, anything unprintable as '?'.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

SmtpReply malformed(std::string why) {
  SmtpReply r;
  r.status = SmtpReply::Status::Malformed;
  r.text = std::move(why);
  return r;
}

}  // namespace

SmtpReply parse_smtp_reply(std::string_view buffer) {
  int code = -1;
  std::size_t at = 0;
  for (;;) {
    const std::string_view rest = buffer.substr(at);
    const auto lf = rest.find('\n');
    if (lf == std::string_view::npos) {
      if (rest.size() >= kMaxSmtpLine) {
        return malformed(fmt::format("reply line longer than {} octets", kMaxSmtpLine));
      }
      if (buffer.size() >= kMaxSmtpReply) {
        return malformed(fmt::format("reply longer than {} octets", kMaxSmtpReply));
      }
      return {};
    }
    if (lf + 1 > kMaxSmtpLine) {
      return malformed(fmt::format("reply line longer than {} octets", kMaxSmtpLine));
    }
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at += lf + 1;
    if (at > kMaxSmtpReply) return malformed(fmt::format("reply longer than {} octets", kMaxSmtpReply));
    if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]) ||
        (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
      return malformed(fmt::format("not an SMTP reply line: '{}'", printable(line)));
    }
    const int this_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (code >= 0 && this_code != code) {
      return malformed(fmt::format("reply code {} within a {} reply", this_code, code));
    }
    code = this_code;
    if (line.size() > 3 && line[3] == '-') continue;  // more lines follow
    SmtpReply r;
    r.status = SmtpReply::Status::Complete;
    r.code = code;
    r.text = printable(line.size() > 4 ? line.substr(4) : std::string_view{});
    r.size = at;
    return r;
  }
}

}  // namespace lvsctl::director::check
