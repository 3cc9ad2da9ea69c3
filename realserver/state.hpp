#pragma once
// The real server's saved state: the sysctl values found before the first start (restored
// exactly by stop) and the VIPs being held, each marked whether lvsctl added it (stop removes
// only those). Pure: serialize/parse only; state_store does the file I/O.
//
// File format (text, one record per line, '#' comments):
//   lvsctl-realserver-state 1
//   sysctl net.ipv4.conf.all.arp_ignore 0
//   vip 203.0.113.10 lo:0 added
//   vip 2001:db8::10 - found
// `added`: put there by lvsctl; `found`: already on lo before start (left alone by stop).
// A label of "-" means none.
#include <string>
#include <string_view>
#include <vector>

#include "shared/ip_address.hpp"
#include "shared/result.hpp"

namespace lvsctl::realserver {

struct SavedSysctl {
  std::string key;
  std::string value;
  friend bool operator==(const SavedSysctl&, const SavedSysctl&) = default;
};

struct HeldVip {
  IpAddress address;
  std::string label;   // empty: none (IPv6, or a found address without one)
  bool added = false;  // true: lvsctl added it and stop removes it
  friend bool operator==(const HeldVip&, const HeldVip&) = default;
};

struct State {
  std::vector<SavedSysctl> saved_sysctls;
  std::vector<HeldVip> vips;
  friend bool operator==(const State&, const State&) = default;

  const SavedSysctl* saved(std::string_view key) const;
  const HeldVip* held(const IpAddress& address) const;
  std::vector<IpAddress> vip_addresses() const;
};

inline constexpr int kStateFormat = 1;

std::string serialize_state(const State& state);

// Errors name the line: a missing or unknown format line, an unknown record, a bad address,
// a value with spaces or empty, a record with the wrong number of fields.
Result<State> parse_state(std::string_view text);

}  // namespace lvsctl::realserver
