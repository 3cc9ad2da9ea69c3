#include "realserver/director_vips.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <span>

#include "director/config/load.hpp"

namespace lvsctl::realserver {

namespace cfg = director::config;

namespace {

std::string origin_of(const conf::Location& where) {
  return where.file.str() + ":" + std::to_string(where.line);
}

bool forwards_directly(const cfg::VirtualServer& vs) {
  const auto direct = [](cfg::ForwardingMethod m) {
    return m == cfg::ForwardingMethod::Dr || m == cfg::ForwardingMethod::Tun;
  };
  return direct(vs.method) || std::any_of(vs.real_servers.begin(), vs.real_servers.end(),
                                          [&](const cfg::RealServer& rs) { return direct(rs.method); });
}

// The text of first, first+1, ..., last: at most `limit` + 1 of them, so that a range that is
// too wide shows as more than `limit`.
std::vector<std::string> expand(const IpAddress& first, const IpAddress& last, unsigned limit) {
  const std::size_t size = first.bytes().size();
  std::array<std::uint8_t, 16> cur{};
  std::copy_n(first.bytes().begin(), size, cur.begin());
  const std::span<const std::uint8_t> end = last.bytes();
  std::vector<std::string> out;
  while (out.size() <= limit) {
    out.push_back(IpAddress::from_bytes({cur.data(), size})->to_string());
    if (first.family() != last.family() ||
        !std::lexicographical_compare(cur.begin(), cur.begin() + static_cast<long>(size),
                                      end.begin(), end.end())) {
      break;  // reached `last` (or a range that runs backwards: just `first`)
    }
    for (std::size_t i = size; i-- > 0;) {  // increment, big-endian
      if (++cur[i] != 0) break;
    }
  }
  return out;
}

}  // namespace

Result<DirectorVips> vips_of_config(const cfg::Config& config) {
  DirectorVips out;
  std::string errors;
  for (const auto& vs : config.virtual_servers) {
    if (!forwards_directly(vs)) continue;
    switch (vs.kind) {
      case cfg::VirtualServerKind::Address:
        out.specs.push_back({vs.address.to_string(), origin_of(vs.where), true});
        break;
      case cfg::VirtualServerKind::Fwmark:
        out.notes.push_back(origin_of(vs.where) + ": virtual_server fwmark " +
                            std::to_string(vs.fwmark) +
                            ": its VIPs are set by firewall rules, not in keepalived.conf; give "
                            "them with --vip");
        break;
      case cfg::VirtualServerKind::Group: {
        const auto group = std::find_if(
            config.virtual_server_groups.begin(), config.virtual_server_groups.end(),
            [&](const cfg::VirtualServerGroup& g) { return g.name == vs.group; });
        if (group == config.virtual_server_groups.end()) {
          errors += (errors.empty() ? "" : "\n") + origin_of(vs.where) +
                    ": virtual_server_group '" + vs.group + "' is not defined";
          break;
        }
        for (const auto& range : group->ranges) {
          const auto addrs = expand(range.first, range.last, kMaxGroupRangeVips);
          if (addrs.size() > kMaxGroupRangeVips) {
            errors += (errors.empty() ? "" : "\n") + origin_of(range.where) + ": range " +
                      range.first.to_string() + "-" + range.last.to_string() + " of group '" +
                      group->name + "' has more than " + std::to_string(kMaxGroupRangeVips) +
                      " addresses; give the VIPs with --vip";
            continue;
          }
          for (const auto& a : addrs) out.specs.push_back({a, origin_of(range.where), true});
        }
        if (!group->fwmarks.empty()) {
          out.notes.push_back(origin_of(group->where) + ": the fwmark entries of group '" +
                              group->name + "' name no VIPs; give them with --vip");
        }
        break;
      }
    }
  }
  if (!errors.empty()) return Error{errors, EINVAL};
  return out;
}

Result<std::vector<VipSpec>> director_vips(const std::string& path) {
  const cfg::ParsedConfig parsed = cfg::load_config_file(path);
  // Warnings are logged and errors returned, each list capped (conf::format_capped).
  conf::Diagnostics warnings;
  conf::Diagnostics errors;
  for (const auto& d : parsed.diags) {
    (d.severity == conf::Severity::Warning ? warnings : errors).push_back(d);
  }
  for (const auto& line : conf::format_capped(warnings)) spdlog::warn("{}", line);
  if (!errors.empty()) {
    std::string text;
    for (const auto& line : conf::format_capped(errors)) text += (text.empty() ? "" : "\n") + line;
    return Error{text, EINVAL};
  }
  auto vips = vips_of_config(parsed.config);
  if (!vips) return vips.error();
  for (const auto& note : vips->notes) spdlog::warn("{}", note);
  if (vips->specs.empty()) {
    return Error{path + ": no DR or TUN virtual_server with an address: no VIPs for a real server",
                 EINVAL};
  }
  return std::move(vips->specs);
}

}  // namespace lvsctl::realserver
