// Health checks against real servers on the real kernel: the test process moves itself into a
// fresh network namespace (unshare), puts 203.0.113.10-14 on its lo, and starts real servers as
// its own children (which share that namespace): an in-process TCP listener, a small python3
// HTTP server whose status/body come from files, `openssl s_server -www`, a MISC script. Each
// checker must see the server up, then down (stopped / wrong status / wrong digest / TLS failure /
// script exit 1), then up again; a server that accepts and never answers must not stall others.
// TCP_CHECKs connect() (the listener accepts a connection per check); with tcp_check_mode syn,
// IPv4 ones are SYN probes (syn_prober.hpp) and the listeners never see a connection.
// Nothing outside the namespace is touched; it disappears with the process.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "director/check/check_engine.hpp"
#include "director/check/http_exchange.hpp"
#include "shared/process.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Runs a command to completion; returns its exit code (-1 when it could not run).
int run(const std::vector<std::string>& argv) {
  auto child = ChildProcess::spawn(argv);
  if (!child) return -1;
  for (;;) {
    if (auto st = child->try_wait()) return st->exited ? st->code : -1;
    std::this_thread::sleep_for(5ms);
  }
}
int sh(const std::string& cmd) { return run({"/bin/sh", "-c", cmd}); }

Fd listen_on(const std::string& ip, std::uint16_t port, int backlog = 64) {
  Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << ip << ":" << port;
  EXPECT_EQ(::listen(fd.get(), backlog), 0);
  return fd;
}

bool accepting(const std::string& ip, std::uint16_t port) {
  Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

void wait_accepting(const std::string& ip, std::uint16_t port) {
  const auto end = std::chrono::steady_clock::now() + 15s;
  while (!accepting(ip, port)) {
    ASSERT_LT(std::chrono::steady_clock::now(), end) << ip << ":" << port << " never accepted";
    std::this_thread::sleep_for(20ms);
  }
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::trunc) << text;
}

Checker fast(CheckerKind kind) {
  Checker c = default_checker(kind);
  c.delay_loop = 200ms;
  c.delay_before_retry = 100ms;
  c.connect_timeout = 1s;
  c.retry = 1;
  c.warmup = Duration::zero();
  if (auto* misc = std::get_if<MiscCheck>(&c.spec)) misc->timeout = 2s;
  return c;
}

class CheckEngineNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "netns tests need root";
    if (::unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "cannot create a network namespace";
    if (sh("command -v ip >/dev/null") != 0) GTEST_SKIP() << "iproute2 (ip) is not installed";
    ASSERT_EQ(run({"ip", "link", "set", "lo", "up"}), 0);
    for (int i = 10; i <= 14; ++i) {
      ASSERT_EQ(run({"ip", "addr", "add", "203.0.113." + std::to_string(i) + "/32", "dev", "lo"}), 0);
    }
    dir_ = fs::temp_directory_path() / ("lvsctl-check-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
  }

  void TearDown() override {
    engine_.reset();
    children_.clear();  // kills and reaps every server this test started
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void start_engine(std::vector<RealServerConfig> servers,
                    config::TcpCheckMode mode = config::TcpCheckMode::Connect) {
    auto engine = CheckEngine::create(
        *loop_, std::move(servers),
        [this](std::size_t s, const HealthTransition& t) {
          transitions_.push_back(t.message);
          std::printf("transition [%zu] %s\n", s, t.message.c_str());
        },
        mode);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = std::move(engine).value();
    engine_->start(1);
  }

  // Runs the loop until server `s` has health `healthy` (a generous limit; no timing asserted).
  void expect_health(std::size_t s, bool healthy, std::chrono::seconds limit = 20s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (engine_->health(s).healthy() != healthy && std::chrono::steady_clock::now() < end) {
      ASSERT_TRUE(loop_->run_once(50ms).ok());
    }
    ASSERT_EQ(engine_->health(s).healthy(), healthy)
        << "server " << s << " last check: "
        << (engine_->health(s).last_check() ? engine_->health(s).last_check()->reason : "none");
  }

  // Runs the loop until every checker of server `s` has reported a probe result, then asserts
  // the server is healthy: a checker counts as up before its first probe, so health alone would
  // pass without any probe having run.
  void expect_checked_healthy(std::size_t s, std::chrono::seconds limit = 20s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    auto all_ran = [&] {
      for (std::size_t c = 0; c < engine_->server(s).checkers.size(); ++c) {
        if (!engine_->health(s).checker(c).has_run()) return false;
      }
      return true;
    };
    while (!all_ran() && std::chrono::steady_clock::now() < end) {
      ASSERT_TRUE(loop_->run_once(50ms).ok());
    }
    ASSERT_TRUE(all_ran()) << "server " << s << ": not every checker ran within " << limit.count() << " s";
    ASSERT_TRUE(engine_->health(s).last_check().has_value());
    EXPECT_TRUE(engine_->health(s).last_check()->success) << engine_->health(s).last_check()->reason;
    EXPECT_TRUE(engine_->health(s).healthy()) << "server " << s;
  }

  // Runs the loop until the engine has completed `n` probes in all (a generous limit).
  void run_until_probes(std::uint64_t n, std::chrono::seconds limit = 20s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (engine_->completed_probes() < n && std::chrono::steady_clock::now() < end) {
      ASSERT_TRUE(loop_->run_once(20ms).ok());
    }
    ASSERT_GE(engine_->completed_probes(), n);
  }

  bool saw(const std::string& needle) const {
    for (const auto& t : transitions_) {
      if (t.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  ChildProcess& spawn(const std::vector<std::string>& argv) {
    auto child = ChildProcess::spawn(argv);
    EXPECT_TRUE(child.ok()) << argv[0];
    children_.push_back(std::move(child).value());
    return children_.back();
  }

  fs::path dir_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<CheckEngine> engine_;
  std::vector<ChildProcess> children_;
  std::vector<std::string> transitions_;
};

UrlCheck url_check(std::string path, std::optional<std::string> digest, std::vector<StatusCodeRange> codes,
                   std::optional<std::string> virtualhost) {
  UrlCheck u;
  u.path = std::move(path);
  u.digest = std::move(digest);
  u.status_codes = std::move(codes);
  u.virtualhost = std::move(virtualhost);
  return u;
}

RealServerConfig rs(const std::string& ip, std::uint16_t port, std::vector<Checker> checkers) {
  return real_server_config(Endpoint{*IpAddress::parse(ip), port}, std::move(checkers));
}

TEST_F(CheckEngineNetns, TcpCheckUpDownUp) {
  Fd listener = listen_on("203.0.113.10", 10010);
  start_engine({rs("203.0.113.10", 10010, {fast(CheckerKind::Tcp)})});
  expect_checked_healthy(0);

  listener.reset();  // stopped: connection refused
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.10:10010 DOWN: connect to 203.0.113.10:10010: Connection refused, retry 1/1"));

  listener = listen_on("203.0.113.10", 10010);
  expect_health(0, true);
  EXPECT_TRUE(saw("203.0.113.10:10010 UP: connected"));
}

TEST_F(CheckEngineNetns, TcpCheckUsesConnectIpPortAndBindto) {
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  Fd listener = listen_on("203.0.113.10", 10010);
  // This namespace's firewall lets only 203.0.113.14 reach the port: up means bindto was the source.
  write_file(dir_ / "rules.nft", "table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                                 "  tcp dport 10010 ip saddr != 203.0.113.14 reject with tcp reset\n }\n}\n");
  ASSERT_EQ(run({"nft", "-f", (dir_ / "rules.nft").string()}), 0);
  Checker c = fast(CheckerKind::Tcp);
  c.connect.ip = *IpAddress::parse("203.0.113.10");  // the real server's own address has nothing listening
  c.connect.port = 10010;
  c.bindto = IpAddress::parse("203.0.113.14");
  Checker unbound = c;  // from the route's source, 203.0.113.10 itself: refused
  unbound.bindto.reset();
  start_engine({rs("203.0.113.12", 7, {c}), rs("203.0.113.12", 8, {unbound})});
  expect_health(1, false);
  EXPECT_TRUE(saw("203.0.113.12:8 DOWN: connect to 203.0.113.10:10010: Connection refused"));
  expect_checked_healthy(0);
}

TEST_F(CheckEngineNetns, TcpCheckIsHalfOpen) {
  // tcp_check_mode syn: IPv4 TCP_CHECKs are SYN probes: the server's kernel answers, its
  // application never sees a connection, and no half-open connection stays behind. Three
  // checkers of one real server probe it at the same moment.
  Fd listener = listen_on("203.0.113.10", 10010);
  start_engine({rs("203.0.113.10", 10010, {fast(CheckerKind::Tcp), fast(CheckerKind::Tcp), fast(CheckerKind::Tcp)})},
               config::TcpCheckMode::Syn);
  run_until_probes(12);  // four rounds of the three checkers, however long the machine takes
  expect_checked_healthy(0);
  for (std::size_t c = 0; c < 3; ++c) {
    ASSERT_TRUE(engine_->health(0).checker(c).up()) << c;
  }
  ASSERT_EQ(::fcntl(listener.get(), F_SETFL, O_NONBLOCK), 0);  // an empty queue must not block
  Fd conn{::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC)};
  EXPECT_FALSE(conn.valid()) << "a check completed a connection";
  engine_.reset();
  ASSERT_EQ(sh("ss -Htan state syn-recv state established > " + (dir_ / "ss").string()), 0);
  std::ifstream ss(dir_ / "ss");
  const std::string left((std::istreambuf_iterator<char>(ss)), std::istreambuf_iterator<char>());
  EXPECT_EQ(left, "");
}

// Connections the application accepted on `listener` so far (non-blocking; each one closed).
int accept_all(const Fd& listener) {
  int n = 0;
  for (;;) {
    Fd conn{::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK)};
    if (!conn.valid()) return n;
    ++n;
  }
}

// Each mode does what it says: the check follows the listener (up, down when it closes, up when
// it is back); in connect mode the application accepts a connection per check, in syn mode none.
TEST_F(CheckEngineNetns, TcpCheckModeConnectIsAcceptedByTheApplication) {
  Fd listener = listen_on("203.0.113.10", 10030);
  ASSERT_EQ(::fcntl(listener.get(), F_SETFL, O_NONBLOCK), 0);
  start_engine({rs("203.0.113.10", 10030, {fast(CheckerKind::Tcp)})}, config::TcpCheckMode::Connect);
  run_until_probes(3);
  expect_checked_healthy(0);
  EXPECT_GE(accept_all(listener), 3) << "connect mode: every check is a connection the application accepts";
  listener.reset();
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.10:10030 DOWN: connect to 203.0.113.10:10030: Connection refused"));
  listener = listen_on("203.0.113.10", 10030);
  ASSERT_EQ(::fcntl(listener.get(), F_SETFL, O_NONBLOCK), 0);
  expect_health(0, true);
  const auto seen = engine_->completed_probes();
  run_until_probes(seen + 2);
  EXPECT_GE(accept_all(listener), 1);
}

TEST_F(CheckEngineNetns, TcpCheckModeSynIsNeverAccepted) {
  Fd listener = listen_on("203.0.113.10", 10031);
  ASSERT_EQ(::fcntl(listener.get(), F_SETFL, O_NONBLOCK), 0);
  start_engine({rs("203.0.113.10", 10031, {fast(CheckerKind::Tcp)})}, config::TcpCheckMode::Syn);
  run_until_probes(3);
  expect_checked_healthy(0);
  EXPECT_EQ(accept_all(listener), 0) << "syn mode: a check completed a connection";
  listener.reset();
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.10:10031 DOWN: connect to 203.0.113.10:10031: Connection refused"));
  listener = listen_on("203.0.113.10", 10031);
  ASSERT_EQ(::fcntl(listener.get(), F_SETFL, O_NONBLOCK), 0);
  expect_health(0, true);
  const auto seen = engine_->completed_probes();
  run_until_probes(seen + 2);
  EXPECT_EQ(accept_all(listener), 0) << "syn mode: a check completed a connection";
}

TEST_F(CheckEngineNetns, TcpConnectTimeoutWhenNothingAnswers) {
  // Drop SYNs to a port with nothing but a route: an address on no interface, unreachable-free.
  // Simplest: a listener with a full backlog and syncookies off keeps new SYNs unanswered.
  ASSERT_EQ(sh("echo 0 > /proc/sys/net/ipv4/tcp_syncookies"), 0);  // this namespace only
  Fd full = listen_on("203.0.113.11", 10020, 0);
  std::vector<Fd> fillers;
  for (int i = 0; i < 4; ++i) {  // fill the accept queue (never accepted)
    Fd c{::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(10020);
    ::inet_pton(AF_INET, "203.0.113.11", &a.sin_addr);
    ::connect(c.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(std::move(c));
  }
  std::this_thread::sleep_for(200ms);
  Checker c = fast(CheckerKind::Tcp);
  c.retry = 0;
  start_engine({rs("203.0.113.11", 10020, {c})});
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.11:10020 DOWN: connect timeout after 1 s")) << transitions_.size();
}

fs::path write_http_server(const fs::path& dir) {
  const fs::path script = dir / "http_server.py";
  write_file(script, R"(import http.server, os, sys
d = sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = int(open(os.path.join(d, 'status')).read().strip())
        body = open(os.path.join(d, 'body'), 'rb').read()
        self.send_response(code)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), H).serve_forever()
)");
  return script;
}

TEST_F(CheckEngineNetns, HttpGetStatusAndDigest) {
  if (sh("command -v python3 >/dev/null") != 0) GTEST_SKIP() << "python3 is not installed";
  write_file(dir_ / "status", "200");
  write_file(dir_ / "body", "healthy\n");
  spawn({"python3", write_http_server(dir_).string(), "203.0.113.12", "8080", dir_.string()});
  wait_accepting("203.0.113.12", 8080);

  Checker status_check = fast(CheckerKind::HttpGet);
  std::get<HttpCheck>(status_check.spec).urls = {url_check("/health", std::nullopt, {{200, 299}}, std::string("www.example.test"))};
  Checker digest_check = fast(CheckerKind::HttpGet);
  std::get<HttpCheck>(digest_check.spec).urls = {url_check("/", md5_hex("healthy\n"), {}, std::nullopt)};
  start_engine({rs("203.0.113.12", 8080, {status_check}), rs("203.0.113.12", 8080, {digest_check})});
  expect_checked_healthy(0);
  expect_checked_healthy(1);
  ASSERT_TRUE(engine_->health(0).last_check().has_value());
  EXPECT_EQ(engine_->health(0).last_check()->reason, "HTTP status 200 for /health");

  write_file(dir_ / "status", "503");  // wrong status: only the status checker cares
  expect_health(0, false);
  EXPECT_TRUE(saw("DOWN: HTTP status 503 not in 200-299 for /health, retry 1/1"));
  EXPECT_TRUE(engine_->health(1).healthy());
  write_file(dir_ / "status", "200");
  expect_health(0, true);

  write_file(dir_ / "body", "changed\n");  // wrong digest
  expect_health(1, false);
  EXPECT_TRUE(saw("DOWN: MD5 digest " + md5_hex("changed\n")));
  EXPECT_TRUE(engine_->health(0).healthy());
  write_file(dir_ / "body", "healthy\n");
  expect_health(1, true);

  children_.clear();  // server stopped
  expect_health(0, false);
  expect_health(1, false);
}

TEST_F(CheckEngineNetns, SslGetUpTlsFailureUp) {
  if (sh("command -v openssl >/dev/null") != 0) GTEST_SKIP() << "openssl is not installed";
  const std::string cert = (dir_ / "cert.pem").string(), key = (dir_ / "key.pem").string();
  ASSERT_EQ(sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
               " -subj /CN=www.example.test -days 1 -keyout " + key + " -out " + cert + " 2>/dev/null"), 0);
  auto start_tls = [&] {
    spawn({"openssl", "s_server", "-quiet", "-www", "-accept", "203.0.113.13:8443", "-cert", cert, "-key", key});
    wait_accepting("203.0.113.13", 8443);
  };
  start_tls();
  Checker c = fast(CheckerKind::SslGet);
  std::get<HttpCheck>(c.spec).enable_sni = true;
  std::get<HttpCheck>(c.spec).urls = {url_check("/", std::nullopt, {{200, 200}}, std::string("www.example.test"))};
  start_engine({rs("203.0.113.13", 8443, {c})});
  expect_checked_healthy(0);

  // Replace the TLS server by a plain listener that answers garbage: the handshake fails.
  children_.clear();
  Fd plain = listen_on("203.0.113.13", 8443);
  loop_->watch(plain.get(), io::kReadable, [&](uint32_t) {
    Fd conn{::accept4(plain.get(), nullptr, nullptr, SOCK_CLOEXEC)};
    const char junk[] = "this is not TLS\r\n\r\n";
    (void)!::write(conn.get(), junk, sizeof junk - 1);
  }).ok();
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.13:8443 DOWN: TLS handshake failed")) << (transitions_.empty() ? "" : transitions_.back());
  loop_->unwatch(plain.get());
  plain.reset();

  start_tls();
  expect_health(0, true);
}

TEST_F(CheckEngineNetns, MiscCheckExitCodesAndTimeout) {
  const fs::path flag = dir_ / "exit";
  write_file(flag, "0");
  Checker c = fast(CheckerKind::Misc);
  c.retry = 0;
  std::get<MiscCheck>(c.spec).path.command = "/bin/sh -c 'exit $(cat " + flag.string() + ")'";
  Checker dyn = c;
  std::get<MiscCheck>(dyn.spec).dynamic = true;
  Checker slow = c;
  std::get<MiscCheck>(slow.spec).path.command = "sleep 30";
  std::get<MiscCheck>(slow.spec).timeout = 500ms;
  start_engine({rs("203.0.113.14", 1, {c}), rs("203.0.113.14", 2, {dyn}), rs("203.0.113.14", 3, {slow})});
  expect_checked_healthy(0);
  expect_checked_healthy(1);

  write_file(flag, "1");
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.14:1 DOWN: script exited 1"));
  expect_health(1, false);

  write_file(flag, "12");  // misc_dynamic: up with weight 10; plain MISC_CHECK: down
  expect_health(1, true);
  EXPECT_EQ(engine_->health(1).weight(), 10);
  EXPECT_FALSE(engine_->health(0).healthy());

  write_file(flag, "0");
  expect_health(0, true);

  // The hung script is killed at misc_timeout and counts as down.
  expect_health(2, false);
  EXPECT_TRUE(saw("203.0.113.14:3 DOWN: script timed out after 0.5 s, killed"));
}

TEST_F(CheckEngineNetns, SeveralCheckersOnOneRealServerMustAllPass) {
  Fd listener = listen_on("203.0.113.10", 10010);
  const fs::path flag = dir_ / "exit";
  write_file(flag, "0");
  Checker misc = fast(CheckerKind::Misc);
  misc.retry = 0;
  std::get<MiscCheck>(misc.spec).path.command = "/bin/sh -c 'exit $(cat " + flag.string() + ")'";
  start_engine({rs("203.0.113.10", 10010, {fast(CheckerKind::Tcp), misc})});
  expect_checked_healthy(0);
  write_file(flag, "1");  // TCP still passes, the script fails: the real server is down
  expect_health(0, false);
  EXPECT_TRUE(engine_->health(0).checker(0).up());
  EXPECT_FALSE(engine_->health(0).checker(1).up());
  write_file(flag, "0");
  expect_health(0, true);
  listener.reset();  // now the TCP checker fails
  expect_health(0, false);
  EXPECT_TRUE(engine_->health(0).checker(1).up());
  EXPECT_EQ(transitions_.size(), 3u);
}

TEST_F(CheckEngineNetns, HungServerDoesNotStallOtherChecks) {
  // 203.0.113.11:9000 accepts (kernel backlog) and never answers an HTTP request.
  Fd hung = listen_on("203.0.113.11", 9000);
  Fd good = listen_on("203.0.113.10", 10010);
  Checker slow = fast(CheckerKind::HttpGet);
  slow.connect_timeout = 6s;
  slow.retry = 0;
  start_engine({rs("203.0.113.11", 9000, {slow}), rs("203.0.113.10", 10010, {fast(CheckerKind::Tcp)})});
  // While the HTTP check of the hung server waits for its answer (no result yet), the TCP check
  // of the other server completes probe after probe: five of them, all before that answer's
  // timeout. (The period they keep is a figure: bench_check_timing.)
  const auto end = std::chrono::steady_clock::now() + 20s;
  while (engine_->completed_probes() < 5 && !engine_->health(0).checker(0).has_run() &&
         std::chrono::steady_clock::now() < end) {
    ASSERT_TRUE(loop_->run_once(20ms).ok());
  }
  EXPECT_FALSE(engine_->health(0).checker(0).has_run()) << "the hung server's check ended first";
  EXPECT_GE(engine_->completed_probes(), 5u);
  expect_checked_healthy(1);
  expect_health(0, false);
  EXPECT_TRUE(saw("203.0.113.11:9000 DOWN: response timeout after 6 s for /"));
}

}  // namespace
}  // namespace lvsctl::director::check
