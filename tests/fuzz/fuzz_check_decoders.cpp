// libFuzzer target: the health checkers' decoders of what the network (or a config) hands them:
// decode_icmp_error (a raw ICMP packet), judge_dns_answer (a DNS_CHECK answer to a fixed
// query, and the input's own first bytes as the query), judge_udp_reply (a UDP_CHECK reply) and
// parse_hex_bytes (UDP_CHECK payload / require_reply text), dns_name_problem + encode_dns_query
// (a DNS_CHECK `name`: every name it accepts encodes, and the query is then judged its own
// question). None may crash or read past its
// input; a decoded ICMP error always names an errno, a reply's verdict always has a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "director/check/dns_message.hpp"
#include "director/check/icmp_error.hpp"
#include "director/check/udp_reply.hpp"
#include "director/config/dns_names.hpp"
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
  return 0;
}
