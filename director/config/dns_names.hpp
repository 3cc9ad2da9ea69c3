#pragma once
// DNS_CHECK's names in keepalived.conf, pure: the `type` names keepalived 2.2.7 knows and the
// rules a query `name` must follow. The builder reads the keywords with them; the codec
// (director/check/dns_message) encodes what they accepted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvsctl::director::config {

// keepalived 2.2.7's `type` names (check_dns.c): A NS CNAME SOA MX TXT AAAA RRSIG DNSKEY,
// case-insensitive.
std::optional<std::uint16_t> dns_type_from_name(std::string_view name);
std::string dns_type_name(std::uint16_t type);  // "SOA", or "TYPE99" for others
std::string dns_type_names();                   // "A, NS, ..., DNSKEY" for messages

// Why `name` cannot be a query name, or nullopt when it can. "." and "" are the root; a trailing
// dot is allowed. Refused: an empty label ("a..b", ".a", as keepalived), a label over 63 octets
// or a name over 255 octets (RFC 1035; keepalived would send a corrupt query).
std::optional<std::string> dns_name_problem(std::string_view name);

}  // namespace lvsctl::director::config
