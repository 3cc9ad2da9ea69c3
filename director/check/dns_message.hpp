#pragma once
// DNS_CHECK's messages (RFC 1035), pure: the query keepalived 2.2.7 sends (one question, class
// IN, recursion desired) and the judgement of a datagram that comes back. Not wired to a probe
// yet (issue 18).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace lvsctl::director::check {

// keepalived's DNS_CHECK `type` names: A NS CNAME SOA MX TXT AAAA (case-insensitive).
std::optional<std::uint16_t> dns_type_from_name(std::string_view name);
std::string dns_type_name(std::uint16_t type);  // "SOA", or "TYPE99" for others

// The query for `name` ("." or "example.com", a trailing dot optional). Errors: an empty label,
// a label over 63 octets, a name over 255 octets.
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
