// ConfigReload: the load runs off the loop (a blocked load never holds it), its result is applied
// on the loop, and SIGHUPs during a load coalesce into one more load.
#include "director/daemon/config_reload.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lvsctl::director {
namespace {

using namespace std::chrono_literals;

// A loader that blocks until released (a FIFO include nobody writes).
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  int open = 0;   // loads allowed to finish
  int started = 0;
  ReloadOutcome load() {
    std::unique_lock lock(mutex);
    const int mine = ++started;
    cv.notify_all();
    cv.wait(lock, [&] { return open >= mine; });
    ReloadOutcome out;
    out.parsed.emplace();
    out.seconds = mine;  // tells the loads apart
    return out;
  }
  void release_one() {
    std::lock_guard lock(mutex);
    ++open;
    cv.notify_all();
  }
  int started_count() {
    std::lock_guard lock(mutex);
    return started;
  }
};

TEST(ConfigReload, LoadRunsOffTheLoopAndCoalesces) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  Gate gate;
  std::vector<int> applied;
  auto reload = ConfigReload::create(
      **loop, "/unused", [] { return nullptr; },
      [&](ReloadOutcome o) { applied.push_back(static_cast<int>(o.seconds)); },
      [&](const std::string&, const conf::SourceManifest*) { return gate.load(); });
  ASSERT_TRUE(reload) << reload.error().message;
  auto& r = **reload;
  r.request();
  EXPECT_TRUE(r.busy());
  // The loop keeps turning while the load is stuck.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE((*loop)->run_once(10ms));
  EXPECT_TRUE(applied.empty());
  r.request();
  r.request();
  r.request();
  gate.release_one();
  const auto end = std::chrono::steady_clock::now() + 5s;
  while (applied.size() < 1 && std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE((*loop)->run_once(10ms));
  }
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0], 1);
  // One more load (not three) follows.
  while (gate.started_count() < 2 && std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE((*loop)->run_once(10ms));
  }
  EXPECT_EQ(gate.started_count(), 2);
  gate.release_one();
  while (applied.size() < 2 && std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE((*loop)->run_once(10ms));
  }
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*loop)->run_once(10ms));
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[1], 2);
  EXPECT_EQ(gate.started_count(), 2);
  EXPECT_FALSE(r.busy());
}

TEST(ConfigReload, AbandonedLoadIsDroppedSafely) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  auto gate = std::make_shared<Gate>();
  bool applied = false;
  {
    auto reload = ConfigReload::create(
        **loop, "/unused", [] { return nullptr; }, [&](ReloadOutcome) { applied = true; },
        [gate](const std::string&, const conf::SourceManifest*) { return gate->load(); });
    ASSERT_TRUE(reload);
    (*reload)->request();
    while (gate->started_count() < 1) std::this_thread::sleep_for(1ms);
  }  // destroyed while the load is stuck: returns at once
  gate->release_one();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*loop)->run_once(10ms));
  EXPECT_FALSE(applied);
  std::this_thread::sleep_for(50ms);  // the detached thread finishes against its own state
}

}  // namespace
}  // namespace lvsctl::director
