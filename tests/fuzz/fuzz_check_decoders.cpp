// libFuzzer target: the health checkers' decoders of what the network (or a config) hands them:
// decode_icmp_error (a raw ICMP packet), judge_dns_answer (a DNS_CHECK answer to a fixed
// query, and the input's own first bytes as the query), judge_udp_reply (a UDP_CHECK reply) and
// parse_hex_bytes (UDP_CHECK payload / require_reply text). None may crash or read past its
// input; a decoded ICMP error always names an errno, a reply's verdict always has a reason.
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
#include "director/check/icmp_error.hpp"
#include "director/check/udp_reply.hpp"
#include "director/config/hex_bytes.hpp"
#include "director/daemon/track_file_watcher.hpp"

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

  const std::string buf(text.substr(0, kTrackFileReadBytes));
  const TrackFileValue ours = parse_track_file_value(buf);
  errno = 0;
  const long theirs = std::strtol(buf.c_str(), nullptr, 0);
  const bool valid = errno == 0 && theirs >= static_cast<long>(INT_MIN) &&
                     theirs <= static_cast<long>(INT_MAX) + 1;
  if (ours.valid != valid || (valid && ours.value != theirs)) std::abort();
  return 0;
}
