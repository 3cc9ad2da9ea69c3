#include "director/check/udp_reply.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace lvsctl::director::check {

ProbeResult judge_udp_reply(const config::UdpCheck& check, std::span<const std::uint8_t> reply) {
  if (!check.reply.empty()) {
    if (reply.size() < check.min_reply_length || reply.size() > check.max_reply_length) {
      return ProbeResult::down(fmt::format("reply of {} bytes not within {}-{}", reply.size(),
                                           check.min_reply_length, check.max_reply_length));
    }
    const std::size_t n = std::min(reply.size(), check.reply.size());
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned free_bits = i < check.reply_mask.size() ? check.reply_mask[i] : 0U;
      if (((reply[i] ^ check.reply[i]) & ~free_bits & 0xffU) != 0) {
        return ProbeResult::down(fmt::format("reply differs from require_reply at byte {}", i + 1));
      }
    }
  }
  return ProbeResult::up(fmt::format("reply of {} bytes", reply.size()));
}

}  // namespace lvsctl::director::check
