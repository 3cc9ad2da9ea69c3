#include "director/host_check.hpp"

#include <fmt/format.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "shared/net_namespace.hpp"
#include "shared/script_command.hpp"

namespace lvsctl::director {
namespace {

class Checker {
 public:
  Checker(const config::Config& config, const HostFacts& host) : config_(config), host_(host) {}

  void error(const config::Location& where, std::string message) {
    diags_.push_back({conf::Severity::Error, where, std::move(message)});
  }
  void skip_interfaces() { skip_interfaces_ = true; }

  void interface(const std::string& name, const config::Location& where, const std::string& use) {
    if (skip_interfaces_ || name.empty() || host_.interface_exists(name)) return;
    const bool dynamic = config_.global.dynamic_interfaces;
    diags_.push_back({dynamic ? conf::Severity::Warning : conf::Severity::Error, where,
                      fmt::format("interface '{}' ({}) does not exist on this host{}", name, use,
                                  dynamic ? "; with dynamic_interfaces the instance waits in "
                                            "FAULT until it appears"
                                          : " (add dynamic_interfaces to global_defs to let the "
                                            "instance wait in FAULT for it)")});
  }

  void script(const std::optional<config::ScriptCommand>& s, const std::string& use) {
    if (s) script(*s, use);
  }
  void script(const config::ScriptCommand& s, const std::string& use) {
    if (!checked_.insert(s.command).second && !failed_.count(s.command)) return;
    auto st = host_.script_runnable(s.command);
    if (st) return;
    failed_.insert(s.command);
    diags_.push_back(
        {conf::Severity::Error, s.where,
         fmt::format("{} '{}' cannot run on this host: {}", use, s.command, st.error().message)});
  }

  void notify(const config::NotifyScripts& n, const std::string& owner) {
    script(n.master, owner + " notify_master");
    script(n.backup, owner + " notify_backup");
    script(n.fault, owner + " notify_fault");
    script(n.stop, owner + " notify_stop");
    script(n.any, owner + " notify");
  }

  conf::Diagnostics take() { return std::move(diags_); }

 private:
  const config::Config& config_;
  const HostFacts& host_;
  std::set<std::string> checked_, failed_;
  conf::Diagnostics diags_;
  bool skip_interfaces_ = false;
};

}  // namespace

HostFacts this_host() {
  HostFacts h;
  h.interface_exists = [](const std::string& name) { return ::if_nametoindex(name.c_str()) != 0; };
  h.script_runnable = [](const std::string& command) -> Status {
    auto decoded = decode_script_escapes(command);
    if (!decoded) return decoded.error();
    auto argv = script_argv(*decoded);
    if (!argv) return argv.error();
    const std::string& program = argv->front();
    struct stat st {};
    if (::stat(program.c_str(), &st) != 0) return Error::from_errno(program);
    if (!S_ISREG(st.st_mode)) return Error{program + " is not a regular file", EACCES};
    if (::access(program.c_str(), X_OK) != 0)
      return Error::from_errno(program + " is not executable");
    return {};
  };
  h.use_net_namespace = [](const std::string& name) { return enter_net_namespace(name); };
  return h;
}

conf::Diagnostics host_diagnostics(const config::Config& config, const HostFacts& host) {
  Checker c(config, host);
  if (const auto& ns = config.global.net_namespace; ns && host.use_net_namespace) {
    if (auto st = host.use_net_namespace(*ns); !st) {
      // keepalived 2.2.7 exits at start-up; the interfaces cannot be looked for.
      c.error(config.global.net_namespace_where,
              fmt::format("network namespace '{}' cannot be used on this host: {} (keepalived "
                          "2.2.7 exits: \"Unable to set network namespace {} - exiting\"); its "
                          "interfaces are not checked",
                          *ns, st.error().message, *ns));
      c.skip_interfaces();
    }
  }
  for (const auto& i : config.vrrp_instances) {
    const auto use = "vrrp_instance " + i.name;
    c.interface(i.interface, i.interface_where.line ? i.interface_where : i.where, use);
    for (const auto& t : i.track_interfaces) c.interface(t.name, t.where, use + " track_interface");
    for (const auto* list : {&i.virtual_ipaddress, &i.virtual_ipaddress_excluded}) {
      for (const auto& v : *list) c.interface(v.dev, v.where, use + " VIP dev");
    }
    c.notify(i.notify, use);
  }
  for (const auto& g : config.vrrp_sync_groups) {
    const auto use = "vrrp_sync_group " + g.name;
    c.notify(g.notify, use);
  }
  for (const auto& s : config.vrrp_scripts) c.script(s.script, "vrrp_script " + s.name);
  for (const auto& vs : config.virtual_servers) {
    const auto use = "virtual_server " + vs.display_name();
    c.script(vs.quorum_up, use + " quorum_up");
    c.script(vs.quorum_down, use + " quorum_down");
    for (const auto& rs : vs.real_servers) {
      c.script(rs.notify_up, use + " notify_up");
      c.script(rs.notify_down, use + " notify_down");
      for (const auto& ch : rs.checkers) {
        if (const auto* misc = std::get_if<config::MiscCheck>(&ch.spec)) {
          c.script(misc->path, use + " MISC_CHECK misc_path");
        }
      }
    }
  }
  return c.take();
}

}  // namespace lvsctl::director
