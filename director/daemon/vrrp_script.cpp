#include "director/daemon/vrrp_script.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "director/daemon/script_security.hpp"
#include "shared/script_command.hpp"

namespace lvsctl::director {

VrrpScriptTracker::VrrpScriptTracker(EventLoop& loop, std::vector<TrackedScriptRun> scripts,
                                     Report report)
    : loop_(loop), report_(std::move(report)) {
  for (auto& s : scripts) {
    auto script = std::make_unique<Script>();
    script->config = std::move(s.config);
    script->as = s.as;
    scripts_.push_back(std::move(script));
  }
}

VrrpScriptTracker::~VrrpScriptTracker() { stop(); }

void VrrpScriptTracker::start() {
  running_ = true;
  for (auto& s : scripts_) launch(*s);
}

void VrrpScriptTracker::stop() {
  running_ = false;
  for (auto& s : scripts_) {
    loop_.cancel_timer(s->next);
    s->next = 0;
    drop_child(*s);  // ChildProcess kills and reaps a running child when destroyed
  }
}

void VrrpScriptTracker::drop_child(Script& script) {
  loop_.cancel_timer(script.deadline);
  script.deadline = 0;
  if (script.child) {
    loop_.unwatch(script.child->pidfd());
    script.child.reset();
  }
}

void VrrpScriptTracker::launch(Script& script) {
  script.next = 0;
  if (!running_ || script.child) return;
  auto argv = script_argv(script.config.script.command);
  auto child = argv ? ChildProcess::spawn(*argv, script.as) : Result<ChildProcess>(argv.error());
  if (!child) {
    spdlog::error("VRRP_Script({}) cannot run '{}': {}", script.config.name,
                  script.config.script.command, child.error().message);
    report_(script.config.name, false);
    schedule(script);
    return;
  }
  script.child.emplace(std::move(*child));
  script.timed_out = false;
  Script* s = &script;
  auto st = loop_.watch(script.child->pidfd(), io::kReadable, [this, s](uint32_t) { finish(*s); });
  if (!st) spdlog::error("VRRP_Script({}) cannot watch: {}", script.config.name, st.error().message);
  const auto timeout = script.config.timeout.value_or(script.config.interval);
  script.deadline = loop_.after(std::chrono::duration_cast<Clock::duration>(timeout), [s] {
    s->deadline = 0;
    s->timed_out = true;
    if (s->child) s->child->kill_group(SIGKILL);
  });
}

void VrrpScriptTracker::finish(Script& script) {
  if (!script.child) return;
  auto status = script.child->try_wait();
  if (!status) return;
  const bool timed_out = script.timed_out;
  drop_child(script);
  const bool success = !timed_out && status->exited && status->code == 0;
  if (timed_out) {
    spdlog::warn("VRRP_Script({}) timed out: killed", script.config.name);
  } else {
    spdlog::debug("VRRP_Script({}) {}", script.config.name, status->describe());
  }
  schedule(script);
  report_(script.config.name, success);  // last: the callback may act on the whole instance
}

void VrrpScriptTracker::schedule(Script& script) {
  if (!running_ || script.next != 0) return;
  Script* s = &script;
  script.next = loop_.after(std::chrono::duration_cast<Clock::duration>(script.config.interval),
                            [this, s] { launch(*s); });
}

std::vector<config::VrrpScript> tracked_scripts(const config::Config& config,
                                                const config::VrrpInstance& instance) {
  std::vector<config::VrrpScript> out;
  for (const auto& t : instance.track_scripts) {
    auto it = std::find_if(config.vrrp_scripts.begin(), config.vrrp_scripts.end(),
                           [&](const auto& s) { return s.name == t.name; });
    if (it != config.vrrp_scripts.end()) out.push_back(*it);
  }
  return out;
}

InstanceScripts vetted_scripts(const config::Config& config, const config::VrrpInstance& instance,
                               vrrp::InstanceConfig& machine_config) {
  const ScriptSecurity security(config.global);
  InstanceScripts out;
  for (auto& script : tracked_scripts(config, instance)) {
    auto as = security.vet(script.script, "vrrp_script " + script.name);
    if (!as) {
      spdlog::error("VRRP_Script({}) disabled: {}", script.name, as.error().message);
      std::erase_if(machine_config.track_scripts,
                    [&](const vrrp::TrackedScript& t) { return t.name == script.name; });
      continue;
    }
    out.tracked.push_back(TrackedScriptRun{std::move(script), *as});
  }
  const auto& n = instance.notify;
  for (const auto* script : {&n.master, &n.backup, &n.fault, &n.stop, &n.any}) {
    if (!*script || out.notify.count(vetting_key(**script))) continue;
    auto as = security.vet(**script, "notify script");
    if (!as) {
      spdlog::error("VRRP_Instance({}) notify script '{}' disabled: {}", instance.name,
                    (*script)->command, as.error().message);
      continue;
    }
    out.notify.emplace(vetting_key(**script), *as);
  }
  return out;
}

}  // namespace lvsctl::director
