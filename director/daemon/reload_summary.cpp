#include "director/daemon/reload_summary.hpp"

#include <fmt/format.h>

#include <map>

#include "director/check/from_config.hpp"
#include "director/daemon/vrrp_signature.hpp"

namespace lvsctl::director {
namespace {

constexpr std::size_t kNamesShown = 5;

std::string script(const std::optional<config::ScriptCommand>& s) {
  if (!s) return "-";
  return s->command + "|" + s->user.value_or("") + "|" + s->group.value_or("");
}

// The virtual server's own settings (not its real servers).
std::string settings(const config::VirtualServer& vs) {
  std::string sorry = "-";
  if (vs.sorry_server) {
    const auto& s = *vs.sorry_server;
    sorry = fmt::format("{}:{} {} {}", s.address.to_string(), s.port, s.inhibit,
                        s.method ? config::to_string(*s.method) : "-");
  }
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", vs.delay_loop.count(),
                     vs.scheduler, vs.scheduler_flags, vs.one_packet, config::to_string(vs.method),
                     vs.persistence_timeout, vs.persistence_granularity.value_or("-"), sorry,
                     vs.inhibit_on_failure, vs.quorum, vs.hysteresis, vs.alpha, vs.omega,
                     script(vs.quorum_up), script(vs.quorum_down), vs.virtualhost.value_or("-"),
                     vs.ip_family ? static_cast<int>(*vs.ip_family) : -1,
                     vs.connect_timeout.count());
}

bool same_real_server(const config::RealServer& a, const config::RealServer& b) {
  if (a.weight != b.weight || a.method != b.method ||
      a.inhibit_on_failure != b.inhibit_on_failure || a.alpha != b.alpha ||
      script(a.notify_up) != script(b.notify_up) ||
      script(a.notify_down) != script(b.notify_down) || a.checkers.size() != b.checkers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.checkers.size(); ++i) {
    if (!(a.checkers[i] == b.checkers[i])) {  // source locations do not count
      return false;
    }
  }
  return true;
}

std::string endpoint(const config::RealServer& rs) {
  return rs.address.is_v4() ? fmt::format("{}:{}", rs.address.to_string(), rs.port)
                            : fmt::format("[{}]:{}", rs.address.to_string(), rs.port);
}

void compare_real_servers(const std::string& key, const config::VirtualServer& before,
                          const config::VirtualServer& after, ReloadSummary& out) {
  std::map<std::string, const config::RealServer*> old;
  for (const auto& rs : before.real_servers) old.emplace(endpoint(rs), &rs);
  for (const auto& rs : after.real_servers) {
    const auto name = endpoint(rs);
    auto it = old.find(name);
    if (it == old.end()) {
      out.real_servers_added.push_back(key + " / " + name);
      continue;
    }
    if (!same_real_server(*it->second, rs)) out.real_servers_changed.push_back(key + " / " + name);
    old.erase(it);
  }
  for (const auto& [name, rs] : old) out.real_servers_removed.push_back(key + " / " + name);
}

std::string names(const std::vector<std::string>& list) {
  std::string text;
  for (std::size_t i = 0; i < list.size() && i < kNamesShown; ++i) {
    text += (i ? ", " : "") + list[i];
  }
  if (list.size() > kNamesShown) text += fmt::format(" and {} more", list.size() - kNamesShown);
  return text;
}

// "1 added (VI_3), 2 removed (A, B)"; empty when nothing changed.
std::string part(
    const std::vector<std::pair<const char*, const std::vector<std::string>*>>& lists) {
  std::string text;
  for (const auto& [what, list] : lists) {
    if (list->empty()) continue;
    text += fmt::format("{}{} {} ({})", text.empty() ? "" : ", ", list->size(), what, names(*list));
  }
  return text;
}

}  // namespace

bool ReloadSummary::empty() const {
  return instances_added.empty() && instances_removed.empty() && instances_updated.empty() &&
         instances_restarted.empty() && virtual_servers_added.empty() &&
         virtual_servers_removed.empty() && virtual_servers_changed.empty() &&
         real_servers_added.empty() && real_servers_removed.empty() && real_servers_changed.empty();
}

ReloadSummary summarize_reload(const config::Config& before, const config::Config& after) {
  ReloadSummary out;
  std::map<std::string, const config::VrrpInstance*> old_instances;
  for (const auto& i : before.vrrp_instances) old_instances.emplace(i.name, &i);
  for (const auto& instance : after.vrrp_instances) {
    auto it = old_instances.find(instance.name);
    if (it == old_instances.end()) {
      out.instances_added.push_back(instance.name);
      continue;
    }
    switch (classify_vrrp_reload(before, *it->second, after, instance)) {
      case VrrpReload::same:
        break;
      case VrrpReload::update:
        out.instances_updated.push_back(instance.name);
        break;
      case VrrpReload::restart:
        out.instances_restarted.push_back(instance.name);
        break;
    }
    old_instances.erase(it);
  }
  for (const auto& [name, i] : old_instances) out.instances_removed.push_back(name);

  const auto old_keys = check::virtual_server_keys(before);
  const auto new_keys = check::virtual_server_keys(after);
  std::map<std::string, std::size_t> old_servers;
  for (std::size_t i = 0; i < old_keys.size(); ++i) old_servers.emplace(old_keys[i], i);
  for (std::size_t i = 0; i < new_keys.size(); ++i) {
    auto it = old_servers.find(new_keys[i]);
    if (it == old_servers.end()) {
      out.virtual_servers_added.push_back(new_keys[i]);
      continue;
    }
    const auto& was = before.virtual_servers[it->second];
    const auto& now = after.virtual_servers[i];
    if (settings(was) != settings(now)) out.virtual_servers_changed.push_back(new_keys[i]);
    compare_real_servers(new_keys[i], was, now, out);
    old_servers.erase(it);
  }
  for (const auto& [key, index] : old_servers) out.virtual_servers_removed.push_back(key);
  return out;
}

std::string to_text(const ReloadSummary& s) {
  if (s.empty()) return "no changes to VRRP instances, virtual servers or real servers";
  std::string text;
  const auto add = [&](const char* what, const std::string& detail) {
    if (detail.empty()) return;
    text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", what, detail);
  };
  add("VRRP instances", part({{"added", &s.instances_added},
                              {"removed", &s.instances_removed},
                              {"updated in place", &s.instances_updated},
                              {"restarted", &s.instances_restarted}}));
  add("virtual servers", part({{"added", &s.virtual_servers_added},
                               {"removed", &s.virtual_servers_removed},
                               {"changed", &s.virtual_servers_changed}}));
  add("real servers", part({{"added", &s.real_servers_added},
                            {"removed", &s.real_servers_removed},
                            {"changed", &s.real_servers_changed}}));
  return text;
}

}  // namespace lvsctl::director
