// vrrp_sync_group blocks.
#include <fmt/format.h>

#include "director/config/build_parts.hpp"
#include "director/config/keyword_table.hpp"

namespace lvsctl::director::config {
namespace {

using S = const conf::Statement&;

// ---- vrrp_sync_group -----------------------------------------------------------------------

void sg_group(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  if (!ctx.arg_count(s, 0, 0)) return;
  for (const auto& line : s.block) {
    if (!line.args.empty() || line.has_block) {
      ctx.error(line.keyword.where,
                "each line of a sync group's 'group' block is one "
                "vrrp_instance name");
      continue;
    }
    g.instances.push_back(line.keyword.text);
    g.instance_where.push_back(line.keyword.where);
  }
}
void sg_track_interface(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  read_track_interfaces(ctx, s, g.track_interfaces);
}
void sg_track_script(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  read_track_scripts(ctx, s, g.track_scripts);
}
void sg_track_process(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  read_track_processes(ctx, s, g.track_processes);
}
void sg_notify_master(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  set_notify(ctx, s, g.notify.master);
}
void sg_notify_backup(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  set_notify(ctx, s, g.notify.backup);
}
void sg_notify_fault(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  set_notify(ctx, s, g.notify.fault);
}
void sg_notify_stop(BuildContext& ctx, S s, VrrpSyncGroup& g) { set_notify(ctx, s, g.notify.stop); }
void sg_notify(BuildContext& ctx, S s, VrrpSyncGroup& g) { set_notify(ctx, s, g.notify.any); }

constexpr Keyword<VrrpSyncGroup> kSyncGroupKeywords[] = {
    {"group", sg_group, BlockUse::Required},
    {"track_interface", sg_track_interface, BlockUse::Required},
    {"track_script", sg_track_script, BlockUse::Required},
    {"track_process", sg_track_process, BlockUse::Required},
    {"notify_master", sg_notify_master},
    {"notify_backup", sg_notify_backup},
    {"notify_fault", sg_notify_fault},
    {"notify_stop", sg_notify_stop},
    {"notify", sg_notify},
};
constexpr std::string_view kSyncGroupUnsupported[] = {"track_file",
                                                      "track_bfd",
                                                      "smtp_alert",
                                                      "global_tracking",
                                                      "sync_group_tracking_weight",
                                                      "notify_priority_changes",
                                                      "notify_deleted"};

}  // namespace

void build_vrrp_sync_group(BuildContext& ctx, const conf::Statement& s, ConfigDraft& draft) {
  if (!one_name(ctx, s)) return;
  VrrpSyncGroup g;
  g.name = s.args[0].text;
  g.where = s.keyword.where;
  static constexpr BlockRules rules{"vrrp_sync_group", kSyncGroupUnsupported, false};
  // Old tutorials list member names directly in the block; keepalived 2.2.7 reads each as an
  // unknown keyword and ignores it, and so does lvsctl (with a warning that says where they go).
  std::vector<conf::Statement> rest;
  for (const auto& st : s.block) {
    bool known = false;
    for (const auto& k : kSyncGroupKeywords) known = known || k.name == st.keyword.text;
    for (auto u : kSyncGroupUnsupported) known = known || u == st.keyword.text;
    if (!known && st.args.empty() && !st.has_block) {
      ctx.warning(st.keyword.where,
                  fmt::format("'{}' in vrrp_sync_group {} is ignored, as keepalived 2.2.7 ignores "
                              "it (unknown keyword): instance names go inside 'group {{ ... }}'",
                              st.keyword.text, g.name));
      continue;
    }
    rest.push_back(st);
  }
  apply_keywords<VrrpSyncGroup>(ctx, rest, kSyncGroupKeywords, rules, g);
  if (g.instances.empty()) {
    ctx.warning(s.keyword.where,
                fmt::format("vrrp_sync_group {} has no instances (no 'group {{ ... }}' names); "
                            "removed, as keepalived 2.2.7 removes it",
                            g.name));
    return;
  }
  draft.config.vrrp_sync_groups.push_back(std::move(g));
}

}  // namespace lvsctl::director::config
