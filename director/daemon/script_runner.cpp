#include "director/daemon/script_runner.hpp"

#include <spdlog/spdlog.h>

#include "shared/script_command.hpp"

namespace lvsctl::director {
ScriptRunnerPool::~ScriptRunnerPool() {
  for (auto& r : children_) {
    loop_.unwatch(r.child.pidfd());
    loop_.cancel_timer(r.deadline);
  }
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
