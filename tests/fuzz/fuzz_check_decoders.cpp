// libFuzzer target: the health checkers' decoders of what the network (or a config) hands them:
// decode_icmp_error (a raw ICMP packet), judge_dns_answer (a DNS_CHECK answer to a fixed
// query, and the input's own first bytes as the query), judge_udp_reply (a UDP_CHECK reply) and
// parse_hex_bytes (UDP_CHECK payload / require_reply text), dns_name_problem + encode_dns_query
// (a DNS_CHECK `name`: every name it accepts encodes, and the query is then judged its own
// question), parse_smtp_reply and the SMTP_CHECK conversation (an SMTP server's octets, whole and
// split), and PING_CHECK's decode_echo_reply (ICMP / ICMPv6, with and without a raw socket's IPv4
// header) and decode_quoted_echo_request. None may crash or read past its input; a decoded ICMP
// error always names an errno, a reply's verdict always has a reason, an SMTP reply stays within
// its bounds and the conversation decides the same whole or split.
// parse_track_file_value (a track file's content, for VRRP track_file and FILE_CHECK) must read
// what the C library's strtol(buf, NULL, 0) reads, as keepalived 2.2.7 does.
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "director/check/dns_message.hpp"
#include "director/check/icmp_echo.hpp"
#include "director/check/icmp_error.hpp"
#include "director/check/smtp_dialogue.hpp"
#include "director/check/smtp_reply.hpp"
#include "director/check/udp_reply.hpp"
#include "director/config/dns_names.hpp"
#include "director/config/hex_bytes.hpp"
#include "director/daemon/track_file_watcher.hpp"

using namespace lvsctl::director;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (auto e = check::decode_icmp_error(bytes); e && e->error == 0) std::abort();

  for (auto family : {check::IcmpFamily::V4, check::IcmpFamily::V6}) {
    for (bool ip_header : {false, true}) {
      if (auto r = check::decode_echo_reply(family, bytes, ip_header)) {
        if (r->data.size() + 8 > size) std::abort();  // never more data than the input held
        // A decoded reply re-encoded as a request decodes back as a request with its id/seq.
        const auto request = check::encode_echo_request(family, *r);
        const auto q = check::decode_quoted_echo_request(family, request);
        if (!q || q->id != r->id || q->sequence != r->sequence) std::abort();
      }
    }
    (void)check::decode_quoted_echo_request(family, bytes);
  }

  static const auto query = *check::encode_dns_query(0x4242, "example.test", 6);
  if (auto j = check::judge_dns_answer(query, bytes);
      j.verdict != check::DnsVerdict::NotOurs && j.reason.empty()) {
    std::abort();
  }
  (void)check::judge_dns_answer(bytes.first(size / 2), bytes.subspan(size / 2));

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!config::dns_name_problem(text)) {
    auto q = check::encode_dns_query(0x4242, text, 1);
    if (!q) std::abort();
    auto answer = *q;
    answer[2] = static_cast<std::uint8_t>(answer[2] | 0x80);  // QR: the query as its own answer
    if (check::judge_dns_answer(*q, answer).verdict != check::DnsVerdict::Good) std::abort();
  }
  for (bool wildcards : {false, true}) {
    auto hex = config::parse_hex_bytes(text, wildcards);
    if (!hex) continue;
    if (hex->data.empty() || (!hex->mask.empty() && hex->mask.size() != hex->data.size())) std::abort();
    // The input judged against itself as require_reply data: the first half as the expectation.
    config::UdpCheck udp;
    udp.require_reply = true;
    udp.reply = hex->data;
    udp.reply_mask = hex->mask;
    udp.max_reply_length = static_cast<unsigned>(size);
    const auto verdict = check::judge_udp_reply(udp, bytes.first(size / 2));
    if (verdict.reason.empty()) std::abort();
  }

  const auto reply = check::parse_smtp_reply(text);
  if (reply.status == check::SmtpReply::Status::Complete &&
      (reply.size == 0 || reply.size > text.size() || reply.size > check::kMaxSmtpReply ||
       reply.code < 0 || reply.code > 999)) {
    std::abort();
  }
  if (reply.status == check::SmtpReply::Status::Malformed && reply.text.empty()) std::abort();
  // The conversation fed whole and octet by octet: the same steps (a Send answers the next input).
  check::SmtpDialogue whole("fuzz.example.test");
  check::SmtpDialogue split("fuzz.example.test");
  const auto w = whole.receive(text);
  check::SmtpDialogue::Step s;
  for (std::size_t i = 0; i < size && s.kind == check::SmtpDialogue::Step::Kind::Wait; ++i) {
    s = split.receive(text.substr(i, 1));
  }
  if (w.kind != s.kind || w.text != s.text || whole.phase() != split.phase()) std::abort();

  const std::string buf(text.substr(0, kTrackFileReadBytes));
  const TrackFileValue ours = parse_track_file_value(buf);
  errno = 0;
  const long theirs = std::strtol(buf.c_str(), nullptr, 0);
  const bool valid = errno == 0 && theirs >= static_cast<long>(INT_MIN) &&
                     theirs <= static_cast<long>(INT_MAX) + 1;
  if (ours.valid != valid || (valid && ours.value != theirs)) std::abort();
  return 0;
}
