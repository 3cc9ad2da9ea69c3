// bench_check_tcp: TCP_CHECK with delay_loop 1 s against N real servers, printing checks/s, the
// achieved period, the spread (checks completed per 100 ms window, min..max), the checker's CPU%
// (getrusage user+sys of this process only) and peak RSS. The listeners are on loopback in the
// same namespace, so the kernel's work for the real servers' side of each handshake (SYN,
// accept queue, RST) runs in this process's softirq context and is counted in its sys time.
//
// Both values of global_defs tcp_check_mode, one after the other: `connect` (keepalived's full
// handshake, closed with RST; the listeners' child accepts and closes each connection) and `syn`
// (director/check/syn_prober.hpp: the listeners' kernel answers the SYN, our kernel resets the
// SYN-ACK, nothing is ever accepted). The sys time includes the kernel's work on both sides; the
// accepting child's own CPU (its accept + close calls) is printed apart as "application".
//
// Runs in a fresh network namespace of its own (unshare; needs root): lo up, 203.0.113.1-5/32 on
// lo, listeners on 2,000 ports per address. A forked child accepts and closes any connection
// (its CPU is printed apart; with SYN probes it has nothing to do). Nothing outside the namespace
// is touched.
//
//   bench_check_tcp [--seconds S] [--mode connect|syn|both] [N ...]
//                                           default: 10 s, both, N = 2000 10000
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "director/check/check_engine.hpp"
#include "shared/event_loop.hpp"
#include "shared/process.hpp"

using namespace lvsctl;
using namespace lvsctl::director::check;
using namespace std::chrono_literals;

namespace {

constexpr int kPortsPerAddress = 2000;
constexpr int kFirstPort = 20000;

std::string address_of(int i) { return "203.0.113." + std::to_string(1 + i / kPortsPerAddress); }
std::uint16_t port_of(int i) { return static_cast<std::uint16_t>(kFirstPort + i % kPortsPerAddress); }

int run(const std::vector<std::string>& argv) {
  auto child = ChildProcess::spawn(argv);
  if (!child) return -1;
  for (;;) {
    if (auto st = child->try_wait()) return st->exited ? st->code : -1;
    std::this_thread::sleep_for(2ms);
  }
}

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

struct Cpu {
  double user = 0, sys = 0;
};
Cpu cpu_now() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return Cpu{seconds(ru.ru_utime), seconds(ru.ru_stime)};
}

// user + sys seconds of another process so far (/proc/PID/stat fields 14 and 15).
double process_cpu(pid_t pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (f == nullptr) return 0;
  char buf[1024] = {};
  const std::size_t got = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string text(buf, got);
  const auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos) return 0;
  unsigned long long utime = 0, stime = 0;
  // After ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  if (std::sscanf(text.c_str() + close_paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                  &stime) != 2) {
    return 0;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Listeners for servers [0, n) and a child process that accepts and closes on all of them.
pid_t start_servers(int n) {
  std::vector<Fd> listeners;
  for (int i = 0; i < n; ++i) {
    Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port_of(i));
    ::inet_pton(AF_INET, address_of(i).c_str(), &a.sin_addr);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd.get(), 128) != 0) {
      std::perror(("listen " + address_of(i) + ":" + std::to_string(port_of(i))).c_str());
      std::exit(1);
    }
    listeners.push_back(std::move(fd));
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto loop = EventLoop::create();
    if (!loop) _exit(1);
    for (auto& l : listeners) {
      const int lfd = l.get();
      (void)(*loop)->watch(lfd, io::kReadable, [lfd](uint32_t) {
        for (;;) {
          int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
          if (c < 0) return;
          ::close(c);
        }
      });
    }
    (void)(*loop)->run();
    _exit(0);
  }
  return pid;  // the parent's copies of the listeners close here
}

void bench(int n, int secs, lvsctl::director::config::TcpCheckMode mode) {
  const pid_t server = start_servers(n);
  std::vector<RealServerConfig> servers;
  servers.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    Checker c = default_checker(CheckerKind::Tcp);
    c.delay_loop = 1s;
    c.warmup = 1s;
    c.connect_timeout = 5s;
    c.retry = 3;
    servers.push_back(real_server_config(Endpoint{*IpAddress::parse(address_of(i)), port_of(i)}, {c}));
  }
  auto loop = EventLoop::create();
  if (!loop) {
    std::fprintf(stderr, "%s\n", loop.error().message.c_str());
    std::exit(1);
  }
  std::size_t downs = 0;
  auto engine = CheckEngine::create(
      **loop, std::move(servers),
      [&](std::size_t, const HealthTransition& t) {
        if (!t.healthy && ++downs <= 3) std::fprintf(stderr, "  %s\n", t.message.c_str());
      },
      mode);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    std::exit(1);
  }
  (*engine)->start(42);
  // Let the warmup spread the first round, then measure a steady state.
  const auto settle_end = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < settle_end) (void)(*loop)->run_once(100ms);

  const auto probes0 = (*engine)->completed_probes();
  const Cpu cpu0 = cpu_now();
  const double app0 = process_cpu(server);
  const auto t0 = std::chrono::steady_clock::now();
  const auto end = t0 + std::chrono::seconds(secs);
  // Spread over the period: checks completed per 100 ms window (bunched checks show as a wide
  // min..max range around n/10).
  std::uint64_t window_min = UINT64_MAX, window_max = 0, window_start_count = probes0;
  auto window_end = t0 + 100ms;
  while (std::chrono::steady_clock::now() < end) {
    (void)(*loop)->run_once(window_end - std::chrono::steady_clock::now());
    if (std::chrono::steady_clock::now() >= window_end) {
      const auto count = (*engine)->completed_probes();
      window_min = std::min(window_min, count - window_start_count);
      window_max = std::max(window_max, count - window_start_count);
      window_start_count = count;
      window_end += 100ms;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Cpu cpu1 = cpu_now();
  const double app = process_cpu(server) - app0;
  const double user = cpu1.user - cpu0.user, sys = cpu1.sys - cpu0.sys, cpu = user + sys;
  const auto probes = (*engine)->completed_probes() - probes0;

  std::size_t healthy = 0;
  for (std::size_t i = 0; i < (*engine)->server_count(); ++i) if ((*engine)->health(i).healthy()) ++healthy;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("TCP_CHECK %-7s delay_loop 1 s, %6d real servers, %d s: %8.0f checks/s (period %.3f s), "
              "CPU %5.1f%% of one core (user %.1f%% + sys %.1f%%, %.1f us/check), application %.1f us/check, "
              "peak RSS %.1f MB, healthy %zu/%d, checks per 100 ms %llu..%llu\n",
              mode == lvsctl::director::config::TcpCheckMode::Syn ? "syn" : "connect", n, secs, static_cast<double>(probes) / wall,
              probes ? wall * static_cast<double>(n) / static_cast<double>(probes) : 0.0, 100.0 * cpu / wall, 100.0 * user / wall, 100.0 * sys / wall,
              probes ? 1e6 * cpu / static_cast<double>(probes) : 0.0,
              probes ? 1e6 * app / static_cast<double>(probes) : 0.0, static_cast<double>(ru.ru_maxrss) / 1024.0,
              healthy, n, static_cast<unsigned long long>(window_min), static_cast<unsigned long long>(window_max));
  std::fflush(stdout);
  engine->reset();
  ::kill(server, SIGKILL);
  int ws = 0;
  ::waitpid(server, &ws, 0);
}

}  // namespace

int main(int argc, char** argv) {
  int secs = 10;
  std::vector<int> sizes;
  using lvsctl::director::config::TcpCheckMode;
  std::vector<TcpCheckMode> modes = {TcpCheckMode::Connect, TcpCheckMode::Syn};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      secs = std::atoi(argv[++i]);
    } else if (a == "--mode" && i + 1 < argc) {
      const std::string m = argv[++i];
      if (m == "connect") {
        modes = {TcpCheckMode::Connect};
      } else if (m == "syn") {
        modes = {TcpCheckMode::Syn};
      } else if (m == "both") {
        modes = {TcpCheckMode::Connect, TcpCheckMode::Syn};
      } else {
        std::fprintf(stderr, "--mode: '%s' is not connect, syn or both\n", m.c_str());
        return 2;
      }
    } else if (a.find_first_not_of("0123456789") == std::string::npos && !a.empty()) {
      sizes.push_back(std::atoi(a.c_str()));
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--mode connect|syn|both] [N ...]\nbad argument: '%s'\n", argv[0], a.c_str());
      return 2;
    }
  }
  if (sizes.empty()) sizes = {2000, 10000};
  if (secs <= 0) {
    std::fprintf(stderr, "--seconds must be positive\n");
    return 2;
  }
  if (::geteuid() != 0 || ::unshare(CLONE_NEWNET) != 0) {
    std::printf("SKIP: bench_check_tcp needs root (it runs in a network namespace of its own)\n");
    return 0;
  }
  int max_n = 0;
  for (int n : sizes) max_n = std::max(max_n, n);
  if (run({"ip", "link", "set", "lo", "up"}) != 0) return 1;
  for (int a = 0; a <= (max_n - 1) / kPortsPerAddress; ++a) {
    if (run({"ip", "addr", "add", address_of(a * kPortsPerAddress) + "/32", "dev", "lo"}) != 0) return 1;
  }
  if (max_n > kPortsPerAddress * 250) {
    std::fprintf(stderr, "at most %d real servers\n", kPortsPerAddress * 250);
    return 2;
  }
  // Listeners and checker sockets: raise the open file limit as far as allowed.
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  const rlim_t want = static_cast<rlim_t>(max_n) * 2 + 1024;
  if (rl.rlim_cur < want) {
    rl.rlim_cur = std::min<rlim_t>(std::max<rlim_t>(want, rl.rlim_cur), rl.rlim_max);
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  for (int n : sizes) {
    for (auto mode : modes) bench(n, secs, mode);
  }
  return 0;
}
