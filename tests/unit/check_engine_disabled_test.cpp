// A disabled checker (a MISC_CHECK script refused by script security) never runs, and its real
// server keeps its start-up state: up, or down with alpha (keepalived 2.2.7 drops such a checker
// after alpha has marked it down). Real child processes on a real EventLoop; no network.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "director/check/check_engine.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

Checker misc(const fs::path& marker, bool disabled, bool alpha = false) {
  Checker c = default_checker(CheckerKind::Misc);
  std::get<MiscCheck>(c.spec).path.command = "touch " + marker.string();
  c.delay_loop = 50ms;
  c.warmup = 0s;
  c.disabled = disabled;
  c.alpha = alpha;
  return c;
}

RealServerConfig server(std::uint16_t port, Checker checker) {
  return real_server_config(Endpoint{*IpAddress::parse("203.0.113.101"), port}, {std::move(checker)});
}

TEST(CheckEngineDisabled, NeverRunsAndKeepsStartUpState) {
  const fs::path dir = fs::temp_directory_path() / ("lvsctl-disabled-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path refused = dir / "refused", allowed = dir / "allowed";
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok()) << loop.error().message;
  auto engine = CheckEngine::create(**loop,
                                    {server(1, misc(refused, true)), server(2, misc(refused, true, true)),
                                     server(3, misc(allowed, false))},
                                    nullptr);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  (*engine)->start(1);
  const auto end = std::chrono::steady_clock::now() + 5s;
  while (!fs::exists(allowed) && std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE((*loop)->run_once(20ms).ok());
  }
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*loop)->run_once(20ms).ok());
  EXPECT_TRUE(fs::exists(allowed)) << "the enabled checker never ran";
  EXPECT_FALSE(fs::exists(refused)) << "a disabled checker ran its script";
  EXPECT_TRUE((*engine)->health(0).healthy());
  EXPECT_FALSE((*engine)->health(0).last_check().has_value());
  EXPECT_FALSE((*engine)->health(1).healthy()) << "alpha: down until a success that never comes";
  EXPECT_TRUE((*engine)->health(2).last_check().has_value());
  (*engine)->stop();
  fs::remove_all(dir);
}

// keepalived 2.2.7: a checker of a real server added by a reload retries its first failure; at
// daemon start (or for one carried over in that state) the first failure takes it down.
TEST(CheckEngineReload, ServersAddedByAReloadRetryTheirFirstFailure) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok()) << loop.error().message;
  auto failing = [](std::uint16_t port) {
    Checker c = default_checker(CheckerKind::Misc);
    std::get<MiscCheck>(c.spec).path.command = "/bin/false";
    c.retry = 1;
    c.delay_loop = 10s;
    c.delay_before_retry = 10s;  // the retry never comes during the test
    c.warmup = 0s;
    return server(port, c);
  };
  auto first_failure = [&](bool reload) {
    auto engine = CheckEngine::create(**loop, {failing(1)}, nullptr);
    EXPECT_TRUE(engine.ok());
    if (reload) (*engine)->after_reload();
    (*engine)->start(1);
    const auto end = std::chrono::steady_clock::now() + 5s;
    while ((*engine)->completed_probes() == 0 && std::chrono::steady_clock::now() < end) {
      EXPECT_TRUE((*loop)->run_once(20ms).ok());
    }
    EXPECT_EQ((*engine)->completed_probes(), 1u);
    const bool healthy = (*engine)->health(0).healthy();
    (*engine)->stop();
    return healthy;
  };
  EXPECT_FALSE(first_failure(false)) << "at daemon start one failure is enough";
  EXPECT_TRUE(first_failure(true)) << "added by a reload: the first failure is retried";
}

}  // namespace
}  // namespace lvsctl::director::check
