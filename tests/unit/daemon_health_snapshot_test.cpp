// The real servers' part of DaemonSnapshot is taken once per check result, not once per request:
// HealthMonitor::snapshot() hands out the same SharedList while no check completed (a scrape of
// 1,000 real servers then costs the loop a pointer copy), and a new one after a result, while
// earlier holders keep what they had. A real TCP_CHECK against a loopback listener on a real
// EventLoop.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

#include "director/config/load.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/shared_list.hpp"
#include "shared/conf/source_files.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director {
namespace {

using namespace std::chrono_literals;

TEST(SharedList, CopiesShareAndChangesReplace) {
  SharedList<int> none;
  EXPECT_TRUE(none.empty());
  SharedList<int> a(std::vector<int>{1, 2, 3});
  const SharedList<int> copy = a;
  EXPECT_TRUE(copy.same(a));
  EXPECT_FALSE(SharedList<int>(a.items()).same(a)) << "equal values, another list";
  a.change([](std::vector<int>& v) { v[0] = 9; });
  EXPECT_FALSE(a.same(copy));
  EXPECT_EQ(a[0], 9);
  EXPECT_EQ(copy[0], 1) << "a holder of the old list saw the change";
  EXPECT_EQ(copy.size(), 3u);
}

// A listener on 127.0.0.1: the TCP_CHECK's connect succeeds (the kernel completes the handshake).
struct Listener {
  Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  int port = 0;
  Listener() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd.get(), 16), 0);
    EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &length), 0);
    port = ntohs(addr.sin_port);
  }
};

config::Config parse(int port) {
  const std::string text =
      "virtual_server 203.0.113.100 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
      "  real_server 203.0.113.11 80 {\n    weight 1\n    TCP_CHECK {\n"
      "      connect_ip 127.0.0.1\n      connect_port " + std::to_string(port) + "\n"
      "      connect_timeout 2\n      delay_loop 30\n      warmup 0\n    }\n  }\n"
      "  real_server 203.0.113.12 80 {\n    weight 2\n  }\n}\n";
  conf::MemorySources reader;
  auto parsed = config::parse_config(text, "test.conf", reader);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return parsed.config;
}

TEST(HealthSnapshot, TakenAgainOnlyAfterACheckResult) {
  Listener listener;
  const auto config = parse(listener.port);
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok()) << loop.error().message;
  auto monitor = HealthMonitor::start(**loop, config, [] {}, ScriptRunner{});
  ASSERT_TRUE(monitor.ok()) << monitor.error().message;
  HealthMonitor& health = **monitor;

  const auto before = health.snapshot();
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(before[0].real_servers.size(), 2u);
  EXPECT_FALSE(before[0].real_servers[0].last_check_success.has_value());
  EXPECT_TRUE(health.snapshot().same(before)) << "no check ran, yet the list was built again";
  EXPECT_EQ(health.snapshots_built(), 1u);

  // The first probe (warmup 0) connects; the next one is 30 s away.
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!health.snapshot()[0].real_servers[0].last_check_success &&
         std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE((*loop)->run_once(20ms).ok());
  }
  const auto after = health.snapshot();
  ASSERT_TRUE(after[0].real_servers[0].last_check_success.has_value()) << "the check never ran";
  EXPECT_TRUE(*after[0].real_servers[0].last_check_success);
  EXPECT_EQ(after[0].real_servers[0].checks.successes, 1u);
  EXPECT_FALSE(after.same(before));
  EXPECT_FALSE(before[0].real_servers[0].last_check_success.has_value())
      << "an earlier snapshot changed under its holder";
  const auto built = health.snapshots_built();
  EXPECT_TRUE(health.snapshot().same(after));
  EXPECT_EQ(health.snapshots_built(), built);
}

}  // namespace
}  // namespace lvsctl::director
