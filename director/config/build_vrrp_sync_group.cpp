// vrrp_sync_group blocks.
#include <algorithm>
#include <functional>

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
void sg_track_file(BuildContext& ctx, S s, VrrpSyncGroup& g) {
  read_track_files(ctx, s, g.track_files);
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
    {"track_file", sg_track_file, BlockUse::Required},
    {"notify_master", sg_notify_master},
    {"notify_backup", sg_notify_backup},
    {"notify_fault", sg_notify_fault},
    {"notify_stop", sg_notify_stop},
    {"notify", sg_notify},
};
constexpr std::string_view kSyncGroupUnsupported[] = {
    "track_bfd", "smtp_alert", "global_tracking", "sync_group_tracking_weight",
    "notify_priority_changes", "notify_deleted"};

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
  note_script_references(draft, g.track_scripts);
  draft.config.vrrp_sync_groups.push_back(std::move(g));
}

namespace {

// keepalived 2.2.7 (vrrp.c, the sync group loop of vrrp_complete_init): every member tracks what
// its group tracks, with the group's weights, except that a group with an address owner (priority
// 255) member has its tracking weights cleared ("Cannot have weighted track ... - clearing
// weight"). A member that already tracks the same object keeps its own line.
template <typename T>
void copy_tracking(bool has_owner, const std::vector<T>& from, std::vector<T>& to,
                   const std::function<int(const T&)>& weight_of) {
  for (const auto& t : from) {
    const bool tracked = std::any_of(to.begin(), to.end(),
                                     [&](const T& x) { return x.name == t.name; });
    if (tracked) continue;
    T copy = t;
    if (has_owner && weight_of(t) != 0) copy.weight = 0;
    to.push_back(std::move(copy));
  }
}

}  // namespace

void apply_sync_group_tracking(BuildContext& ctx, Config& config) {
  for (const auto& g : config.vrrp_sync_groups) {
    std::vector<VrrpInstance*> members;
    for (auto& vi : config.vrrp_instances) {
      if (vi.sync_group == g.name) members.push_back(&vi);
    }
    const bool has_owner = std::any_of(members.begin(), members.end(),
                                       [](const VrrpInstance* vi) { return vi->priority == 255; });
    const auto script_weight = [&](const TrackedScript& t) {
      if (t.weight) return *t.weight;
      for (const auto& s : config.vrrp_scripts) {
        if (s.name == t.name) return s.weight;
      }
      return 0;
    };
    const auto file_weight = [&](const TrackedScript& t) {
      if (t.weight) return *t.weight;
      for (const auto& f : config.vrrp_track_files) {
        if (f.name == t.name) return f.weight;
      }
      return 0;
    };
    if (has_owner) {
      const auto warn = [&](const Location& where, std::string_view kind, const std::string& name) {
        ctx.warning(where, fmt::format("vrrp_sync_group {} has a member with priority 255 (address "
                                       "owner): the weight of its tracked {} '{}' is cleared, as "
                                       "keepalived 2.2.7 clears it (\"Cannot have weighted track "
                                       "{} '{}' with member having priority 255\")",
                                       g.name, kind, name, kind, name));
      };
      for (const auto& t : g.track_interfaces) {
        if (t.weight != 0) warn(t.where, "interface", t.name);
      }
      for (const auto& t : g.track_scripts) {
        if (script_weight(t) != 0) warn(t.where, "script", t.name);
      }
      for (const auto& t : g.track_files) {
        if (file_weight(t) != 0) warn(t.where, "file", t.name);
      }
    }
    for (VrrpInstance* vi : members) {
      copy_tracking<TrackedInterface>(has_owner, g.track_interfaces, vi->track_interfaces,
                                      [](const TrackedInterface& t) { return t.weight; });
      copy_tracking<TrackedScript>(has_owner, g.track_scripts, vi->track_scripts, script_weight);
      copy_tracking<TrackedScript>(has_owner, g.track_files, vi->track_files, file_weight);
    }
  }
}

}  // namespace lvsctl::director::config
