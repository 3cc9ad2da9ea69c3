// The top level of keepalived.conf: which blocks exist, in what order they are read, and the
// resolution of cross-block defaults once the whole file is read.
#include "director/config/build.hpp"

#include <span>
#include <type_traits>

#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/nbsp_misread.hpp"
#include "shared/net_namespace.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

void global_defs(BuildContext& ctx, S s, ConfigDraft& d) {
  if (d.global_seen) {
    ctx.warning(s.keyword.where, "a second 'global_defs' block; its settings are merged");
  }
  d.global_seen = true;
  build_global_defs(ctx, s, d.config.global);
}

// `net_namespace NAME`: keepalived 2.2.7 ignores a line without a name and a second line, each
// with a warning; a name that cannot be a file under /run/netns makes it exit at start-up.
void net_namespace(BuildContext& ctx, S s, ConfigDraft& d) {
  GlobalDefs& g = d.config.global;
  if (s.args.empty()) {
    ctx.warning(s.keyword.where, "'net_namespace' without a name is ignored, as keepalived 2.2.7 "
                                 "ignores it (\"net_namespace name missing - ignoring\")");
    return;
  }
  if (g.net_namespace) {
    ctx.warning(s.keyword.where,
                fmt::format("a second 'net_namespace' ({}) is ignored, as keepalived 2.2.7 ignores "
                            "it (\"Duplicate net_namespace definition {} - ignoring\"); the "
                            "namespace stays {} (line {})",
                            s.args[0].text, s.args[0].text, *g.net_namespace,
                            g.net_namespace_where.line));
    return;
  }
  if (s.args.size() > 1) {
    ctx.warning(s.args[1].where, fmt::format("'{}' after the namespace name is ignored, as "
                                             "keepalived 2.2.7 ignores it",
                                             s.args[1].text));
  }
  if (const auto problem = net_namespace_name_problem(s.args[0].text); !problem.empty()) {
    ctx.error(s.args[0].where,
              fmt::format("net_namespace: {}; keepalived 2.2.7 could not enter it and would exit "
                          "at start-up",
                          problem));
    return;
  }
  g.net_namespace = s.args[0].text;
  g.net_namespace_where = s.keyword.where;
}

constexpr Keyword<ConfigDraft> kTopKeywords[] = {
    {"global_defs", global_defs, BlockUse::Required},
    {"vrrp_instance", build_vrrp_instance, BlockUse::Required},
    {"vrrp_sync_group", build_vrrp_sync_group, BlockUse::Required},
    {"vrrp_script", build_vrrp_script, BlockUse::Required},
    {"virtual_server", build_virtual_server, BlockUse::Required},
    {"virtual_server_group", build_virtual_server_group, BlockUse::Required},
    {"static_ipaddress", build_static_ipaddress, BlockUse::Required},
    {"static_routes", build_static_routes, BlockUse::Required},
    {"static_rules", build_static_rules, BlockUse::Required},
    {"track_file", build_vrrp_track_file, BlockUse::Required},
    {"vrrp_track_file", build_vrrp_track_file, BlockUse::Required},
    {"vrrp_track_process", build_vrrp_track_process, BlockUse::Required},
    {"net_namespace", net_namespace},
};

constexpr std::string_view kTopUnsupported[] = {
    "track_group",
    "garp_group",
    "linkbeat_interfaces",
    "interface_up_down_delays",
    "SSL",
    "bfd_instance",
    "net_namespace_ipvs",
    "namespace_with_ipsets",
    "use_pid_dir",
    "instance",
    "child_wait_time",
    "linkbeat_use_polling",
};

}  // namespace

namespace {

template <typename Statements>
Config build(Statements& statements, conf::Diagnostics& diags, bool release) {
  BuildContext ctx(diags);
  ConfigDraft draft;
  std::size_t services = 0;
  for (const auto& s : statements) services += s.keyword.text == "virtual_server" ? 1U : 0U;
  draft.config.virtual_servers.reserve(services);

  static constexpr BlockRules rules{"the top level", kTopUnsupported, false};
  for (auto& s : statements) {
    report_nbsp_misreads(ctx, s);
    apply_keywords<ConfigDraft>(ctx, std::span<const conf::Statement>(&s, 1), kTopKeywords, rules,
                                draft);
    if constexpr (!std::is_const_v<std::remove_reference_t<decltype(s)>>) {
      if (release) s = conf::Statement{};
    }
  }

  Config config = std::move(draft.config);
  resolve_file_checks(ctx, config);
  config.vrrp_instances.reserve(draft.instances.size());
  for (auto& d : draft.instances) {
    config.vrrp_instances.push_back(finish_vrrp_instance(ctx, std::move(d), config.global));
  }
  resolve_tracked_scripts(ctx, draft, config);
  for (const auto& g : config.vrrp_sync_groups) {
    for (auto& vi : config.vrrp_instances) {
      for (const auto& member : g.instances) {
        if (member == vi.name && vi.sync_group.empty()) vi.sync_group = g.name;
      }
    }
  }
  apply_sync_group_tracking(ctx, config);
  return config;
}

}  // namespace

Config build_config(const std::vector<conf::Statement>& statements, conf::Diagnostics& diags) {
  return build(statements, diags, false);
}

Config build_config(std::vector<conf::Statement>&& statements, conf::Diagnostics& diags) {
  Config config = build(statements, diags, true);
  statements.clear();
  return config;
}

}  // namespace lvsctl::director::config
