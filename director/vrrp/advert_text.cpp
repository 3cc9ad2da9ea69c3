#include "director/vrrp/advert_text.hpp"

#include <fmt/format.h>

namespace lvsctl::director::vrrp {

std::string interval_text(uint16_t cs) {
  if (cs % 100 == 0) return fmt::format("{}s", cs / 100);
  if (cs % 10 == 0) return fmt::format("{}.{}s", cs / 100, (cs % 100) / 10);
  return fmt::format("{}.{:02}s", cs / 100, cs % 100);
}

namespace {
std::string envelope_text(const std::optional<IpAddress>& a) { return a ? a->to_string() : ""; }
}  // namespace

std::string describe(const Advert& a) {
  std::string out = fmt::format("{} > {} VRRPv{} vrid {} prio {} intvl {}", envelope_text(a.source),
                                envelope_text(a.destination), a.version, a.vrid, a.priority,
                                interval_text(a.interval_cs));
  if (a.version == 2) {
    if (a.auth_type == AuthType::pass) {
      out += fmt::format(" auth PASS \"{}\"", pass_text(a));
    } else {
      out += fmt::format(" auth {}", to_string(a.auth_type));
    }
  } else {
    out += " auth none";
  }
  out += " vips";
  if (a.addresses.empty()) out += " none";
  for (std::size_t i = 0; i < a.addresses.size(); ++i) {
    out += (i == 0 ? " " : ",") + a.addresses[i].to_string();
  }
  return out;
}

std::string describe(const MasterConflict& c) {
  return fmt::format(
      "TWO MASTERS for VRID {} (VRRPv{}): {} prio {} and {} prio {} are both advertising - split "
      "brain (is IP protocol 112 dropped by a firewall, or auth_pass/VRID different?)",
      c.vrid, c.version, c.first.to_string(), c.first_priority, c.second.to_string(),
      c.second_priority);
}

}  // namespace lvsctl::director::vrrp
