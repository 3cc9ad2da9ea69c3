#pragma once
// DNS_CHECK's messages (RFC 1035), pure: the query keepalived 2.2.7 sends (one question, class
// IN, recursion desired) and the judgement of a datagram that comes back (dns_probe sends and
// reads them).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "director/config/dns_names.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

// keepalived's DNS_CHECK `type` names (the config's table).
using config::dns_type_from_name;
using config::dns_type_name;

// The query for `name` ("." or "example.com", a trailing dot optional). Errors: the names
// config::dns_name_problem() refuses (an empty label, a label over 63 octets, a name over 255).
Result<std::vector<std::uint8_t>> encode_dns_query(std::uint16_t id, std::string_view name,
                                                  std::uint16_t type);

enum class DnsVerdict : std::uint8_t {
  NotOurs,  // too short, another id, or not a response: keep waiting for the answer
  Good,     // our id, a response, RCODE NOERROR, our question echoed
  Bad,      // an answer to our query that says the server is not well: `reason` says why
};
struct DnsJudgement {
  DnsVerdict verdict = DnsVerdict::NotOurs;
  std::string reason;
};

// `answer` judged against the `query` encode_dns_query() made.
DnsJudgement judge_dns_answer(std::span<const std::uint8_t> query, std::span<const std::uint8_t> answer);

}  // namespace lvsctl::director::check
