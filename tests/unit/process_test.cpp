// ChildProcess on the EventLoop: exit status through the pidfd, kill of the process group, many
// children at once, a child that is gone before it is watched. The same binary runs again under
// tests/tools/enosys with pidfd_open (and clone3) answering ENOSYS, as on a kernel before Linux
// 5.3: LVSCTL_EXPECT_NO_PIDFD=1 then asserts the child_reaper fallback watched every child.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "shared/child_reaper.hpp"
#include "shared/event_loop.hpp"
#include "shared/process.hpp"

namespace lvsctl {
namespace {

using namespace std::chrono_literals;

bool expect_fallback() {
  const char* v = std::getenv("LVSCTL_EXPECT_NO_PIDFD");
  return v != nullptr && std::string(v) == "1";
}

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop.ok()) << loop.error().message;
    loop_ = std::move(loop).value();
  }

  ChildProcess spawn(const std::vector<std::string>& argv) {
    auto child = ChildProcess::spawn(argv);
    EXPECT_TRUE(child.ok()) << (child.ok() ? "" : child.error().message);
    EXPECT_EQ(child->watched_by_pidfd(), !expect_fallback());
    return std::move(child).value();
  }

  // Watches the child's fd on the loop until it turns readable and try_wait() has a status.
  ExitStatus wait_on_loop(ChildProcess& child, std::chrono::seconds limit = 30s) {
    std::optional<ExitStatus> status;
    EXPECT_TRUE(loop_->watch(child.pidfd(), io::kReadable, [&](uint32_t) { status = child.try_wait(); }).ok());
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!status && std::chrono::steady_clock::now() < end) EXPECT_TRUE(loop_->run_once(100ms).ok());
    loop_->unwatch(child.pidfd());
    EXPECT_TRUE(status.has_value()) << "the child's fd never turned readable with a status";
    return status.value_or(ExitStatus{});
  }

  std::unique_ptr<EventLoop> loop_;
};

TEST_F(ProcessTest, ExitCodeThroughTheLoop) {
  ChildProcess child = spawn({"/bin/sh", "-c", "exit 3"});
  const ExitStatus st = wait_on_loop(child);
  EXPECT_TRUE(st.exited);
  EXPECT_EQ(st.code, 3);
  EXPECT_TRUE(child.reaped());
  EXPECT_EQ(child.try_wait()->code, 3);  // kept
}

TEST_F(ProcessTest, KillGroupReachesTheScriptsChildren) {
  // sh starts a sleep of its own; killing the group ends both, so the fd turns readable.
  ChildProcess child = spawn({"/bin/sh", "-c", "sleep 60 & wait"});
  EXPECT_FALSE(child.try_wait().has_value());
  child.kill_group(SIGTERM);
  const ExitStatus st = wait_on_loop(child);
  EXPECT_FALSE(st.exited);
  EXPECT_EQ(st.signal, SIGTERM);
}

TEST_F(ProcessTest, ManyChildrenAtOnce) {
  std::vector<ChildProcess> children;
  for (int i = 0; i < 40; ++i) children.push_back(spawn({"/bin/sh", "-c", "exit " + std::to_string(i)}));
  int seen = 0;
  for (auto& c : children) {
    ASSERT_TRUE(loop_->watch(c.pidfd(), io::kReadable, [&c, &seen, this](uint32_t) {
      if (c.try_wait()) {
        ++seen;
        loop_->unwatch(c.pidfd());
      }
    }).ok());
  }
  const auto end = std::chrono::steady_clock::now() + 60s;
  while (seen < 40 && std::chrono::steady_clock::now() < end) ASSERT_TRUE(loop_->run_once(100ms).ok());
  ASSERT_EQ(seen, 40);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(children[static_cast<std::size_t>(i)].try_wait()->code, i);
}

TEST_F(ProcessTest, DestroyingARunningChildKillsAndReapsIt) {
  pid_t pid = 0;
  {
    ChildProcess child = spawn({"sleep", "60"});
    pid = child.pid();
  }
  // Reaped: no zombie left, the pid is no child of ours any more.
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(child_reaper::watched(), 0U);
}

TEST_F(ProcessTest, MovedChildKeepsItsWatch) {
  ChildProcess a = spawn({"/bin/sh", "-c", "exit 7"});
  ChildProcess b = std::move(a);
  const ExitStatus st = wait_on_loop(b);
  EXPECT_EQ(st.code, 7);
  EXPECT_EQ(child_reaper::watched(), 0U);
}

TEST_F(ProcessTest, ChildGoneBeforeItIsWaitedFor) {
  ChildProcess child = spawn({"/bin/true"});
  // Let it exit (and its SIGCHLD pass) before anyone watches the fd.
  const auto end = std::chrono::steady_clock::now() + 30s;
  while (!child.try_wait() && std::chrono::steady_clock::now() < end) (void)loop_->run_once(20ms);
  ASSERT_TRUE(child.reaped());
  EXPECT_EQ(child.try_wait()->code, 0);
}

}  // namespace
}  // namespace lvsctl
