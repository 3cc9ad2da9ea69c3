#pragma once
// The list of VIPs a real server holds on lo: parsing, validation and merging of the VIPs given
// on the command line, in realserver.conf and in a director's keepalived.conf. Pure.
#include <string>
#include <string_view>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

// One VIP as the user wrote it and where ("--vip", "/etc/lvsctl/realserver.conf:3").
struct VipSpec {
  std::string text;
  std::string origin;
  // A keepalived.conf names the same VIP in one virtual_server per port: such repeats are merged
  // silently. VIPs the user lists by hand (--vip, realserver.conf) must not repeat.
  bool may_repeat = false;
};

// One VIP: an IPv4 or IPv6 address, optionally with its host prefix ("/32", "/128"). Rejects,
// naming the value: text that is not an address, another prefix length, and addresses that
// cannot be a VIP on lo (unspecified, loopback, multicast, broadcast, IPv6 link-local).
Result<IpAddress> parse_vip(std::string_view text);

// Splits an option value into VIP words on commas and whitespace; empty words are dropped, so
// "" gives none (scripts and unit files may pass an unset variable).
std::vector<std::string> split_vip_words(std::string_view value);

// Parses every spec and merges them in first-seen order. Errors (all of them, one per line):
// a bad VIP, or a VIP given twice by specs that may not repeat (names both places).
Result<std::vector<IpAddress>> build_vip_list(const std::vector<VipSpec>& specs);

// True when at least one VIP is IPv4 (only IPv4 needs the ARP sysctls).
bool has_ipv4(const std::vector<IpAddress>& vips);

}  // namespace lvsctl::realserver
