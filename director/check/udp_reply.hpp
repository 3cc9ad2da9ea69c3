#pragma once
// UDP_CHECK's judgement of a reply datagram, as keepalived 2.2.7 makes it: with require_reply
// data, the reply's length must be within min_reply_length..max_reply_length and its first
// min(length, data length) octets must equal the data outside wildcard nibbles; with
// require_reply alone any reply will do. Pure.
#include <cstdint>
#include <span>

#include "director/check/probe_result.hpp"

namespace lvsctl::director::check {

ProbeResult judge_udp_reply(const config::UdpCheck& check, std::span<const std::uint8_t> reply);

}  // namespace lvsctl::director::check
