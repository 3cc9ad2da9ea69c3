// static_ipaddress, static_routes and static_rules blocks, and the route/rule blocks that
// vrrp_instance shares with them (virtual_routes, virtual_rules).
#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/route_parse.hpp"

namespace lvsctl::director::config {

void read_route_block(BuildContext& ctx, const conf::Statement& s, std::vector<IpRoute>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto r = read_route(ctx, line)) out.push_back(std::move(*r));
  }
}

void read_rule_block(BuildContext& ctx, const conf::Statement& s, RulePriorities& priorities,
                     std::vector<IpRule>& out) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (auto r = read_rule(ctx, line, priorities)) out.push_back(std::move(*r));
  }
}

void build_static_ipaddress(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  read_address_block(ctx, s, draft.config.static_ipaddress);
}

void build_static_routes(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  read_route_block(ctx, s, draft.config.static_routes);
}

void build_static_rules(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  read_rule_block(ctx, s, draft.rule_priorities, draft.config.static_rules);
}

}  // namespace lvsctl::director::config
