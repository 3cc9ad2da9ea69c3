// libFuzzer target: the health checkers' decoders of what the network (or a config) hands them:
// decode_icmp_error (a raw ICMP packet), judge_dns_answer (a DNS_CHECK answer to a fixed
// query, and the input's own first bytes as the query), judge_udp_reply (a UDP_CHECK reply) and
// parse_hex_bytes (UDP_CHECK payload / require_reply text), parse_smtp_reply and the SMTP_CHECK
// conversation (an SMTP server's octets, whole and split). None may crash or read past its
// input; a decoded ICMP error always names an errno, a reply's verdict always has a reason, an SMTP
// reply stays within its bounds and the conversation decides the same whole or split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "director/check/dns_message.hpp"
#include "director/check/icmp_error.hpp"
#include "director/check/smtp_dialogue.hpp"
#include "director/check/smtp_reply.hpp"
#include "director/check/udp_reply.hpp"
#include "director/config/hex_bytes.hpp"

using namespace lvsctl::director;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (auto e = check::decode_icmp_error(bytes); e && e->error == 0) std::abort();

  static const auto query = *check::encode_dns_query(0x4242, "example.test", 6);
  if (auto j = check::judge_dns_answer(query, bytes);
      j.verdict != check::DnsVerdict::NotOurs && j.reason.empty()) {
    std::abort();
  }
  (void)check::judge_dns_answer(bytes.first(size / 2), bytes.subspan(size / 2));

  const std::string_view text(reinterpret_cast<const char*>(data), size);
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
  return 0;
}
