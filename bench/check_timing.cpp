// bench_check_timing: how closely the checker keeps keepalived's timers, printed as figures.
// In a network namespace of its own (unshare; needs root), with 203.0.113.1 on lo:
//   A. refused: TCP_CHECK delay_loop 1 s, retry 3, delay_before_retry 0.5 s; the listener closes.
//      Expected gaps between probe results: 1 s while up, then 0.5 s per retry, DOWN on the 4th
//      failure, then 1 s while down.
//   B. black hole (accept queue full, SYNs unanswered): connect_timeout 1 s, retry 2,
//      delay_before_retry 0.5 s. Expected: each failed probe takes 1 s, so results are 1.5 s
//      apart during retries.
//   C. a hung neighbour: TCP_CHECK delay_loop 0.2 s of one real server beside an HTTP_GET of
//      another that accepts and never answers (connect_timeout 6 s). Expected: the TCP check's
//      results stay 0.2 s apart while the HTTP check waits (tests assert only that they go on).
// It prints every probe result with its time and the deviation of each gap from the expected one.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "director/check/check_engine.hpp"
#include "shared/process.hpp"

using namespace lvsctl;
using namespace lvsctl::director::check;
using namespace std::chrono_literals;

namespace {

int run(const std::vector<std::string>& argv) {
  auto child = ChildProcess::spawn(argv);
  if (!child) return -1;
  for (;;) {
    if (auto st = child->try_wait()) return st->exited ? st->code : -1;
    std::this_thread::sleep_for(2ms);
  }
}

Fd listen_on(std::uint16_t port, int backlog) {
  Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, "203.0.113.1", &a.sin_addr);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd.get(), backlog) != 0) {
    std::perror("listen");
    std::exit(1);
  }
  return fd;
}

struct Sample {
  double t;  // seconds since the scenario started
  bool success;
  std::string reason;
};

// Runs the engine for `secs`, calling `event` once at `event_at`, and records every probe result.
std::vector<Sample> observe(CheckEngine& engine, EventLoop& loop, double secs, double event_at,
                            const std::function<void()>& event, std::size_t server = 0) {
  std::vector<Sample> samples;
  const auto t0 = std::chrono::steady_clock::now();
  TimePoint last{};
  bool fired = false;
  for (;;) {
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (now >= secs) break;
    if (!fired && now >= event_at) {
      event();
      fired = true;
      std::printf("  %6.3f s  -- server changed --\n", now);
    }
    (void)loop.run_once(2ms);
    const auto& lc = engine.health(server).last_check();
    if (lc && lc->at != last) {
      last = lc->at;
      samples.push_back({std::chrono::duration<double>(lc->at - t0).count(), lc->success, lc->reason});
    }
  }
  return samples;
}

void report(const std::vector<Sample>& s, const std::vector<double>& expected_gaps) {
  double worst = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::printf("  %6.3f s  %-4s %s", s[i].t, s[i].success ? "ok" : "FAIL", s[i].reason.c_str());
    if (i > 0 && i - 1 < expected_gaps.size()) {
      const double gap = s[i].t - s[i - 1].t, want = expected_gaps[i - 1];
      const double dev = 100.0 * (gap - want) / want;
      worst = std::max(worst, std::fabs(dev));
      std::printf("   (gap %.3f s, expected %.3f s, %+.1f%%)", gap, want, dev);
    }
    std::printf("\n");
  }
  std::printf("  worst deviation from the expected gaps: %.1f%%\n", worst);
}

std::unique_ptr<CheckEngine> make_engine(EventLoop& loop, Checker c, std::uint16_t port) {
  const RealServerConfig rs = real_server_config(Endpoint{*IpAddress::parse("203.0.113.1"), port}, {c});
  auto engine = CheckEngine::create(loop, {rs}, [](std::size_t, const HealthTransition& t) {
    std::printf("  transition: %s\n", t.message.c_str());
  });
  if (!engine) std::exit(1);
  return std::move(engine).value();
}

}  // namespace

int main() {
  if (::geteuid() != 0 || ::unshare(CLONE_NEWNET) != 0) {
    std::printf("SKIP: bench_check_timing needs root (it runs in a network namespace of its own)\n");
    return 0;
  }
  if (run({"ip", "link", "set", "lo", "up"}) != 0 || run({"ip", "addr", "add", "203.0.113.1/32", "dev", "lo"}) != 0) {
    return 1;
  }
  auto loop_r = EventLoop::create();
  if (!loop_r) return 1;
  EventLoop& loop = **loop_r;

  {
    std::printf("A. connection refused: delay_loop 1 s, retry 3, delay_before_retry 0.5 s\n");
    Fd listener = listen_on(10010, 64);
    Checker c = default_checker(CheckerKind::Tcp);
    c.delay_loop = 1s;
    c.retry = 3;
    c.delay_before_retry = 500ms;
    c.warmup = Duration::zero();
    auto engine = make_engine(loop, c, 10010);
    engine->start(1);
    auto samples = observe(*engine, loop, 8.2, 2.5, [&] { listener.reset(); });
    // ok, ok, ok (1 s apart), fail (1 s after the last ok), 3 retries 0.5 s apart, then 1 s.
    report(samples, {1, 1, 1, 0.5, 0.5, 0.5, 1, 1, 1});
  }
  {
    std::printf("B. black hole: connect_timeout 1 s, retry 2, delay_before_retry 0.5 s, delay_loop 1 s\n");
    (void)run({"sh", "-c", "echo 0 > /proc/sys/net/ipv4/tcp_syncookies"});  // this namespace only
    Fd full = listen_on(10020, 0);
    std::vector<Fd> fillers;
    for (int i = 0; i < 4; ++i) {
      Fd f{::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(10020);
      ::inet_pton(AF_INET, "203.0.113.1", &a.sin_addr);
      (void)::connect(f.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
      fillers.push_back(std::move(f));
    }
    std::this_thread::sleep_for(200ms);
    Checker c = default_checker(CheckerKind::Tcp);
    c.delay_loop = 1s;
    c.retry = 2;
    c.delay_before_retry = 500ms;
    c.connect_timeout = 1s;
    c.warmup = Duration::zero();
    auto engine = make_engine(loop, c, 10020);
    engine->start(1);
    auto samples = observe(*engine, loop, 7.0, 100.0, [] {});
    // Each probe takes connect_timeout; retries start 0.5 s after a failure; once down, the next
    // probe starts delay_loop after the previous one started, i.e. right after it timed out.
    report(samples, {1.5, 1.5, 1.0, 1.0});
  }
  {
    std::printf("C. hung neighbour: TCP_CHECK delay_loop 0.2 s beside an HTTP_GET that never gets an answer\n");
    Fd hung = listen_on(10030, 64);  // accepts (kernel backlog), never reads nor answers
    Fd good = listen_on(10040, 64);
    Checker http = default_checker(CheckerKind::HttpGet);
    http.connect_timeout = 6s;
    http.retry = 0;
    http.warmup = Duration::zero();
    Checker tcp = default_checker(CheckerKind::Tcp);
    tcp.delay_loop = 200ms;
    tcp.warmup = Duration::zero();
    const RealServerConfig h = real_server_config(Endpoint{*IpAddress::parse("203.0.113.1"), 10030}, {http});
    const RealServerConfig g = real_server_config(Endpoint{*IpAddress::parse("203.0.113.1"), 10040}, {tcp});
    auto engine = CheckEngine::create(loop, {h, g}, [](std::size_t, const HealthTransition& t) {
      std::printf("  transition: %s\n", t.message.c_str());
    });
    if (!engine) return 1;
    (*engine)->start(1);
    auto samples = observe(**engine, loop, 3.0, 100.0, [] {}, 1);
    report(samples, std::vector<double>(samples.size(), 0.2));
  }
  return 0;
}
