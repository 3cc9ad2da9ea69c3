// The metrics endpoint on a real event loop over loopback TCP: a scrape is answered with the
// text rendered on the worker thread while the loop keeps turning; a silent client is closed at
// its deadline; a client beyond max_clients is closed at once; an oversized head gets 431.
#include "director/daemon/metrics_server.hpp"
#include "shared/send_pending.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace lvsctl::director {
namespace {

using namespace std::chrono_literals;

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop);
    loop_ = std::move(*loop);
  }
  void listen(MetricsServer::Prepare prepare, MetricsLimits limits = {}) {
    auto at = config::parse_listen_endpoint("127.0.0.1:1");
    ASSERT_TRUE(at);
    at->port = 0;  // the kernel picks one
    auto s = MetricsServer::listen(*loop_, *at, std::move(prepare), limits);
    ASSERT_TRUE(s) << s.error().message;
    server_ = std::move(*s);
  }
  Fd connect() {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }
  void send(int fd, const std::string& text) {
    EXPECT_EQ(::send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
  }
  void spin(const std::function<bool()>& done, std::chrono::milliseconds limit = 5000ms) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) EXPECT_TRUE(loop_->run_once(10ms));
  }
  // Everything until the server closes, the loop turning meanwhile.
  std::string read_all(int fd, std::chrono::milliseconds limit = 5000ms) {
    std::string out;
    bool closed = false;
    spin([&] {
      pollfd p{fd, POLLIN, 0};
      while (::poll(&p, 1, 0) == 1) {
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
          closed = true;
          break;
        }
        out.append(buf, static_cast<size_t>(n));
      }
      return closed;
    }, limit);
    EXPECT_TRUE(closed);
    return out;
  }
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<MetricsServer> server_;
};

TEST_F(MetricsServerTest, AScrapeIsRenderedOffTheLoop) {
  std::atomic<bool> release{false};
  const auto loop_thread = std::this_thread::get_id();
  std::atomic<bool> rendered_on_loop{false};
  listen([&]() -> MetricsServer::Render {
    return [&] {
      if (std::this_thread::get_id() == loop_thread) rendered_on_loop = true;
      while (!release) std::this_thread::sleep_for(1ms);  // a slow rendering
      return std::string("lvsctl_build_info{version=\"t\"} 1\n");
    };
  });
  Fd client = connect();
  send(client.get(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  // The loop keeps turning while the rendering is held: a timer fires.
  bool fired = false;
  loop_->after(50ms, [&] { fired = true; });
  spin([&] { return fired; }, 2000ms);
  EXPECT_TRUE(fired);
  release = true;
  const std::string answer = read_all(client.get());
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\n\r\nlvsctl_build_info{version=\"t\"} 1\n"), std::string::npos);
  EXPECT_FALSE(rendered_on_loop);
  EXPECT_EQ(server_->scrapes(), 1u);
}

// A response of megabytes (a scrape of thousands of real servers) goes out one slice of at most
// kSendPerTurn bytes per loop turn, so a due advert never waits for the whole of it.
TEST_F(MetricsServerTest, ALargeResponseGoesOutOneSlicePerLoopTurn) {
  const std::string body(2 * 1024 * 1024, 'x');
  listen([&]() -> MetricsServer::Render { return [&] { return body; }; });
  Fd client = connect();
  send(client.get(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer;
  std::size_t largest = 0;
  bool closed = false;
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!closed && std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE(loop_->run_once(10ms));
    std::size_t this_turn = 0;  // what one loop turn sent: the client drains it after each
    pollfd p{client.get(), POLLIN, 0};
    while (::poll(&p, 1, 0) == 1) {
      char buf[65536];
      const ssize_t n = ::read(client.get(), buf, sizeof buf);
      if (n <= 0) {
        closed = true;
        break;
      }
      answer.append(buf, static_cast<size_t>(n));
      this_turn += static_cast<std::size_t>(n);
    }
    largest = std::max(largest, this_turn);
  }
  ASSERT_TRUE(closed);
  EXPECT_NE(answer.find("\r\n\r\n" + body), std::string::npos) << "the body arrived incomplete";
  EXPECT_LE(largest, kSendPerTurn + 512) << "one loop turn sent more than a slice (+ the head)";
}

TEST_F(MetricsServerTest, SilentClientsAreClosedAtTheDeadlineAndExtraOnesAtOnce) {
  MetricsLimits limits;
  limits.max_clients = 2;
  limits.request_deadline = 200ms;
  listen([] { return MetricsServer::Render([] { return std::string(); }); }, limits);
  Fd a = connect();
  Fd b = connect();
  spin([&] { return server_->clients() == 2; });
  ASSERT_EQ(server_->clients(), 2u);
  Fd c = connect();
  EXPECT_EQ(read_all(c.get(), 2000ms), "");  // closed at once, nothing said
  EXPECT_EQ(read_all(a.get(), 3000ms), "");  // the deadline
  spin([&] { return server_->clients() == 0; });
  EXPECT_EQ(server_->clients(), 0u);
}

TEST_F(MetricsServerTest, OversizedHeadGets431AndOtherPaths404) {
  MetricsLimits limits;
  limits.max_request = 128;
  int prepared = 0;
  listen([&] {
    ++prepared;
    return MetricsServer::Render([] { return std::string(); });
  }, limits);
  Fd big = connect();
  send(big.get(), "GET /metrics HTTP/1.1\r\nX: " + std::string(500, 'a'));
  EXPECT_EQ(read_all(big.get()).rfind("HTTP/1.1 431 ", 0), 0u);
  Fd other = connect();
  send(other.get(), "GET /other HTTP/1.1\r\n\r\n");
  EXPECT_EQ(read_all(other.get()).rfind("HTTP/1.1 404 ", 0), 0u);
  EXPECT_EQ(prepared, 0);
}

}  // namespace
}  // namespace lvsctl::director
