#pragma once
// One-line, human-readable descriptions of adverts and conflicts, as `lvsctl director watch`
// prints them. Pure.
#include <string>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/master_conflict.hpp"

namespace lvsctl::director::vrrp {

// "203.0.113.104 > 224.0.0.18 VRRPv2 vrid 100 prio 100 intvl 1s auth PASS "12345"
//  vips 203.0.113.100" (one line). The PASS password is shown: it travels in clear anyway, and
// seeing it is how an operator spots a mismatch.
std::string describe(const Advert& advert);

// "1s", "0.1s", "0.25s".
std::string interval_text(uint16_t interval_cs);

// "TWO MASTERS for VRID 100 (VRRPv2): 203.0.113.104 prio 100 and 203.0.113.105 prio 50 are both
//  advertising - split brain (is IP protocol 112 dropped by a firewall, or auth/VRID wrong?)"
std::string describe(const MasterConflict& conflict);

}  // namespace lvsctl::director::vrrp
