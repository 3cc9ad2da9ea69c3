#pragma once
// Pure readers of keepalived's route and rule lines (static_routes/virtual_routes,
// static_rules/virtual_rules): `ip route add` / `ip rule add` syntax as keepalived 2.2.7 reads
// it, full option names only. Each reports problems with file:line:col of the offending word
// and returns nullopt for a line keepalived would not install (then keepalived skips the line,
// and so does lvsctl: the caller decides whether that is a warning or an error).
#include <optional>
#include <string_view>

#include "director/config/build_context.hpp"
#include "director/config/route_model.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

// Preferences keepalived gives rules written without one: 16384 for the first of a family, one
// less for each next (its "Rule has no preference specified - setting to N" warning).
struct RulePriorities {
  std::uint32_t next_v4 = 16384;
  std::uint32_t next_v6 = 16384;
};

std::optional<IpRoute> read_route(BuildContext& ctx, const conf::Statement& line);
std::optional<IpRule> read_rule(BuildContext& ctx, const conf::Statement& line,
                                RulePriorities& priorities);

// A routing table id: a number 1..2^32-1 or main/local/default.
std::optional<std::uint32_t> parse_route_table(std::string_view text);

}  // namespace lvsctl::director::config
