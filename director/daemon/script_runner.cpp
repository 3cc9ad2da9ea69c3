#include "director/daemon/script_runner.hpp"

#include <spdlog/spdlog.h>

#include "director/daemon/script_security.hpp"
#include "shared/script_command.hpp"

namespace lvsctl::director {
ScriptRunnerPool::~ScriptRunnerPool() {
  for (auto& r : children_) {
    loop_.unwatch(r.child.pidfd());
    loop_.cancel_timer(r.deadline);
  }
  close_fifo(notify_fifo_);
  close_fifo(vrrp_notify_fifo_);
  close_fifo(lvs_notify_fifo_);
}

void ScriptRunnerPool::close_fifo(FifoSlot& slot) {
  if (slot.script) {
    slot.script->kill_group(SIGTERM);  // keepalived's way: the script may flush and exit
    slot.script.reset();
  }
  if (slot.fifo.dropped() > 0) {
    spdlog::warn("notify fifo {}: {} lines dropped in all (no reader or a slow one)",
                 slot.fifo.path(), slot.fifo.dropped());
  }
  slot.fifo = NotifyFifo();
}

void ScriptRunnerPool::set_fifo(FifoSlot& slot, const std::optional<std::string>& path,
                                const std::optional<config::ScriptCommand>& script,
                                const config::GlobalDefs& global) {
  if (path && slot.fifo.is_open() && slot.fifo.path() == *path) return;
  close_fifo(slot);
  if (!path) return;
  auto fifo = NotifyFifo::open(*path);
  if (!fifo) {
    spdlog::error("{}; no FIFO notifications", fifo.error().message);
    return;
  }
  slot.fifo = std::move(*fifo);
  if (!script) return;
  auto as = ScriptSecurity(global).vet(*script, "notify fifo script");
  if (!as) {
    spdlog::error("notify fifo script '{}' disabled: {}", script->command, as.error().message);
    return;
  }
  auto argv = script_argv(script->command);
  if (!argv) {
    spdlog::error("cannot run notify fifo script '{}': {}", script->command, argv.error().message);
    return;
  }
  argv->push_back(*path);
  auto child = ChildProcess::spawn(*argv, *as);
  if (!child) {
    spdlog::error("cannot run notify fifo script '{}': {}", script->command, child.error().message);
    return;
  }
  slot.script = std::move(*child);
}

void ScriptRunnerPool::set_notify_fifos(const config::GlobalDefs& global) {
  set_fifo(notify_fifo_, global.notify_fifo, global.notify_fifo_script, global);
  set_fifo(vrrp_notify_fifo_, global.vrrp_notify_fifo, global.vrrp_notify_fifo_script, global);
  set_fifo(lvs_notify_fifo_, global.lvs_notify_fifo, global.lvs_notify_fifo_script, global);
}

void ScriptRunnerPool::write_fifos(const std::string& line) {
  notify_fifo_.fifo.write_line(line);
  vrrp_notify_fifo_.fifo.write_line(line);
}

void ScriptRunnerPool::write_lvs_fifos(const std::string& line) {
  notify_fifo_.fifo.write_line(line);
  lvs_notify_fifo_.fifo.write_line(line);
}

void ScriptRunnerPool::run(const std::string& command, const std::vector<std::string>& args,
                           std::optional<Credentials> as) {
  std::string line = command;
  for (const auto& a : args) line += " " + a;
  auto argv = script_argv(command);
  if (!argv) {
    spdlog::error("cannot run script '{}': {}", command, argv.error().message);
    return;
  }
  argv->insert(argv->end(), args.begin(), args.end());
  auto child = ChildProcess::spawn(*argv, as);
  if (!child) {
    spdlog::error("cannot run script '{}': {}", line, child.error().message);
    return;
  }
  children_.push_back(Running{line, std::move(*child), 0});
  auto it = std::prev(children_.end());
  auto st = loop_.watch(it->child.pidfd(), io::kReadable, [this, it](uint32_t) { finish(it); });
  if (!st) spdlog::error("cannot watch script '{}': {}", line, st.error().message);
  it->deadline = loop_.after(timeout_, [this, it] {
    spdlog::warn("script '{}' still running after {} s: killed", it->command, timeout_.count());
    it->deadline = 0;
    it->child.kill_group(SIGKILL);
  });
}

void ScriptRunnerPool::finish(std::list<Running>::iterator it) {
  auto status = it->child.try_wait();
  if (!status) return;
  if (!status->exited || status->code != 0) {
    spdlog::warn("script '{}' {}", it->command, status->describe());
  }
  loop_.unwatch(it->child.pidfd());
  loop_.cancel_timer(it->deadline);
  children_.erase(it);
}

}  // namespace lvsctl::director
