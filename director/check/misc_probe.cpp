#include "director/check/misc_probe.hpp"

#include <fmt/format.h>

#include "shared/script_command.hpp"

namespace lvsctl::director::check {

ProbeResult judge_misc_exit(const ExitStatus& status, bool misc_dynamic) {
  if (!status.exited) return ProbeResult::down("script " + status.describe());
  if (status.code == 0) return ProbeResult::up("script exited 0");
  if (misc_dynamic && status.code >= 2) {
    return ProbeResult::up(fmt::format("script exited {} (weight {})", status.code, status.code - 2),
                           status.code - 2);
  }
  return ProbeResult::down(fmt::format("script exited {}", status.code));
}

MiscProbe::MiscProbe(EventLoop& loop, const Checker& checker) : loop_(loop) {
  if (const auto* misc = std::get_if<MiscCheck>(&checker.spec)) {
    command_ = misc->path.command;
    run_as_ = misc->run_as;
    timeout_ = misc->timeout.count() > 0 ? misc->timeout : checker.delay_loop;
    dynamic_ = misc->dynamic;
  }
}

void MiscProbe::start(Done done) {
  close();
  done_ = std::move(done);
  timed_out_ = false;
  auto argv = script_argv(command_);
  auto child = argv ? ChildProcess::spawn(*argv, run_as_) : Result<ChildProcess>(argv.error());
  if (!child) {
    timer_ = loop_.after(Duration::zero(), [this, msg = child.error().message] {
      timer_ = 0;
      finish(ProbeResult::down(msg));
    });
    return;
  }
  child_.emplace(std::move(child).value());
  if (auto st = loop_.watch(child_->pidfd(), io::kReadable, [this](uint32_t) { on_exit(); }); !st) {
    timer_ = loop_.after(Duration::zero(), [this, msg = st.error().message] {
      timer_ = 0;
      finish(ProbeResult::down(msg));
    });
    return;
  }
  timer_ = loop_.after(timeout_, [this] {
    timer_ = 0;
    timed_out_ = true;
    child_->kill_group(SIGKILL);  // the pidfd turns readable once it is gone; on_exit reports
  });
}

void MiscProbe::on_exit() {
  auto status = child_->try_wait();
  if (!status) return;  // spurious wake-up
  if (timed_out_) {
    finish(ProbeResult::down(fmt::format("script timed out after {}, killed", format_seconds(timeout_))));
  } else {
    finish(judge_misc_exit(*status, dynamic_));
  }
}

void MiscProbe::close() {
  if (timer_ != 0) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
  }
  if (child_) {
    loop_.unwatch(child_->pidfd());
    child_.reset();  // kills and reaps a script that still runs
  }
}

void MiscProbe::finish(ProbeResult result) {
  close();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace lvsctl::director::check
