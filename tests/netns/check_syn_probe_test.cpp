// TCP_CHECK as a SYN probe against real kernels: the test process moves itself into a fresh
// network namespace (the director: 198.51.100.1 and .3 on a veth) and makes a second, named one
// for the real servers (198.51.100.2 on the veth peer, 203.0.113.10 on its lo, reached through
// 198.51.100.2). Listeners are opened inside the server namespace (setns there and back), so
// every SYN crosses the veth and the server's kernel verifies its checksum. Each probe must come
// out as a connect() would (up, refused, timeout, failed), the servers' applications never see a
// connection, and no half-open connection stays behind. nft rules go into the server namespace
// only. Nothing outside the two namespaces is touched; both go away with the test.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "director/check/probe.hpp"
#include "director/check/syn_probe.hpp"
#include "director/check/syn_prober.hpp"
#include "director/check/tcp_probe.hpp"
#include "shared/process.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using SteadyTime = std::chrono::steady_clock;

int run(const std::vector<std::string>& argv) {
  auto child = ChildProcess::spawn(argv);
  if (!child) return -1;
  for (;;) {
    if (auto st = child->try_wait()) return st->exited ? st->code : -1;
    std::this_thread::sleep_for(2ms);
  }
}
int sh(const std::string& cmd) { return run({"/bin/sh", "-c", cmd}); }

Checker tcp_check(Duration timeout = 1s) {
  Checker c = default_checker(CheckerKind::Tcp);
  c.connect_timeout = timeout;
  return c;
}

class SynProbeNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "netns tests need root";
    if (sh("command -v ip >/dev/null") != 0) GTEST_SKIP() << "iproute2 (ip) is not installed";
    if (::unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "cannot create a network namespace";
    home_.reset(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(home_.valid());
    server_ns_ = "lvsctl-syn-" + std::to_string(::getpid());
    tmp_ = fs::temp_directory_path() / server_ns_;
    fs::create_directories(tmp_);
    ASSERT_EQ(run({"ip", "netns", "add", server_ns_}), 0);
    made_ns_ = true;
    const std::string n = server_ns_;
    ASSERT_EQ(sh("ip link set lo up && ip link add d0 type veth peer name s0 netns " + n +
                 " && ip addr add 198.51.100.1/24 dev d0 && ip addr add 198.51.100.3/24 dev d0"
                 " && ip link set d0 up"
                 " && ip -n " +
                 n + " link set lo up && ip -n " + n +
                 " addr add 198.51.100.2/24 dev s0"
                 " && ip -n " +
                 n + " addr add 203.0.113.10/32 dev lo && ip -n " + n +
                 " link set s0 up"
                 " && ip route add 203.0.113.0/25 via 198.51.100.2"),
              0);
    ASSERT_EQ(sh("for i in $(seq 100); do ip link show d0 | grep -q 'state UP' &&"
                 " ip -n " +
                 n + " link show s0 | grep -q 'state UP' && exit 0; sleep 0.05; done; exit 1"),
              0)
        << "the veth never came up";
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
    auto prober = SynProber::create(*loop_);
    ASSERT_TRUE(prober.ok()) << prober.error().message;
    prober_ = std::move(prober).value();
  }

  void TearDown() override {
    probes_.clear();
    prober_.reset();
    listeners_.clear();
    if (made_ns_) run({"ip", "netns", "delete", server_ns_});
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }

  // A listening socket inside the server namespace (never accepted from).
  int listen_in_server(const std::string& ip, std::uint16_t port) {
    Fd ns{::open(("/run/netns/" + server_ns_).c_str(), O_RDONLY | O_CLOEXEC)};
    EXPECT_TRUE(ns.valid());
    EXPECT_EQ(::setns(ns.get(), CLONE_NEWNET), 0);
    Fd fd{::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << ip << ":" << port;
    EXPECT_EQ(::listen(fd.get(), 64), 0);
    EXPECT_EQ(::setns(home_.get(), CLONE_NEWNET), 0);
    listeners_.push_back(std::move(fd));
    return listeners_.back().get();
  }
  void close_listener(int fd) {
    std::erase_if(listeners_, [fd](const Fd& l) { return l.get() == fd; });
  }

  SynProbe& make(const std::string& ip, std::uint16_t port, Checker c = tcp_check()) {
    const Endpoint target{*IpAddress::parse(ip), port};
    EXPECT_TRUE(syn_probe_applies(target, c));
    probes_.push_back(std::make_unique<SynProbe>(*prober_, target, c));
    return *probes_.back();
  }

  // Starts `probe` and runs the loop until it reports (at most `limit`).
  std::optional<ProbeResult> probe_once(Probe& probe, std::chrono::milliseconds limit = 5000ms) {
    std::optional<ProbeResult> result;
    probe.start([&](ProbeResult r) { result = std::move(r); });
    EXPECT_FALSE(result.has_value()) << "reported inside start()";
    run_until([&] { return result.has_value(); }, limit);
    return result;
  }

  template <typename Done>
  void run_until(Done done, std::chrono::milliseconds limit) {
    const auto end = SteadyTime::now() + limit;
    while (!done() && SteadyTime::now() < end) ASSERT_TRUE(loop_->run_once(10ms).ok());
  }

  // Output of a command run inside the server namespace.
  std::string in_server(const std::string& cmd) {
    const fs::path out = tmp_ / "out";
    sh("ip netns exec " + server_ns_ + " " + cmd + " > " + out.string() + " 2>&1");
    std::ifstream f(out);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  // The server's TCP connections other than listeners, as ss prints them ("" when none).
  std::string server_connections() {
    return in_server("ss -Htan state syn-recv state established");
  }

  int nft(const std::string& rules) {
    std::ofstream(tmp_ / "rules.nft") << rules;
    return sh("ip netns exec " + server_ns_ + " nft -f " + (tmp_ / "rules.nft").string());
  }
  long counter_packets() {
    const std::string rules = in_server("nft list table inet lvsctl_test");
    std::smatch m;
    if (!std::regex_search(rules, m, std::regex("packets ([0-9]+)"))) return -1;
    return std::stol(m[1]);
  }

  Fd home_;
  std::string server_ns_;
  bool made_ns_ = false;
  fs::path tmp_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<SynProber> prober_;
  std::vector<std::unique_ptr<SynProbe>> probes_;
  std::vector<Fd> listeners_;
};

bool accept_queue_empty(int listener) {
  Fd conn{::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK)};
  return !conn.valid() && errno == EAGAIN;
}

TEST_F(SynProbeNetns, UpRefusedUpAndTheServerNeverSeesAConnection) {
  int listener = listen_in_server("203.0.113.10", 10010);
  SynProbe& probe = make("203.0.113.10", 10010);
  auto r = probe_once(probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
  EXPECT_EQ(r->reason, "connected");
  EXPECT_TRUE(accept_queue_empty(listener)) << "the handshake completed: not a SYN probe";
  EXPECT_EQ(server_connections(), "");  // our kernel's RST ended the half-open connection

  close_listener(listener);
  r = probe_once(probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
  EXPECT_EQ(r->reason, "connect to 203.0.113.10:10010: Connection refused");

  listener = listen_in_server("203.0.113.10", 10010);
  for (int i = 0; i < 20; ++i) {  // again and again from the same reserved port
    r = probe_once(probe);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->success) << i << ": " << r->reason;
  }
  EXPECT_TRUE(accept_queue_empty(listener));
  EXPECT_EQ(server_connections(), "");
  EXPECT_EQ(prober_->in_flight(), 0u);
}

TEST_F(SynProbeNetns, TimeoutWithKernelLikeRetransmissionWhenSynsAreDropped) {
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  listen_in_server("203.0.113.10", 10030);
  ASSERT_EQ(nft("table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                "  tcp dport 10030 tcp flags syn counter drop\n }\n}\n"),
            0);
  SynProbe& probe = make("203.0.113.10", 10030, tcp_check(3500ms));
  const auto t0 = SteadyTime::now();
  auto r = probe_once(probe, 6000ms);
  const auto took = SteadyTime::now() - t0;
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
  EXPECT_EQ(r->reason, "connect timeout after 3.5 s");
  EXPECT_GE(took, 3500ms) << "gave up before its timeout";  // how soon after: bench_check_timing
  // The SYN at 0 and its retransmissions at 1 s and 3 s (the kernel's 1 s, 2 s backoff).
  EXPECT_EQ(counter_packets(), 3);

  // The rule goes away: the same probe is up again.
  ASSERT_EQ(sh("ip netns exec " + server_ns_ + " nft delete table inet lvsctl_test"), 0);
  r = probe_once(probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
}

TEST_F(SynProbeNetns, AHungTargetDoesNotDelayOthers) {
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  listen_in_server("203.0.113.10", 10030);
  listen_in_server("203.0.113.10", 10010);
  ASSERT_EQ(nft("table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                "  tcp dport 10030 drop\n }\n}\n"),
            0);
  // The good target answers while the hung one is still pending: a verdict, not a latency (the
  // probe's own latency is a figure: bench_check_timing).
  SynProbe& hung = make("203.0.113.10", 10030, tcp_check(6s));
  SynProbe& good = make("203.0.113.10", 10010);
  std::optional<ProbeResult> hung_result;
  hung.start([&](ProbeResult r) { hung_result = std::move(r); });
  ASSERT_TRUE(loop_->run_once(10ms).ok());
  auto r = probe_once(good, 20000ms);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
  EXPECT_FALSE(hung_result.has_value()) << "the good target answered only after the hung one timed out";
  run_until([&] { return hung_result.has_value(); }, 20000ms);
  ASSERT_TRUE(hung_result.has_value());
  EXPECT_EQ(hung_result->reason, "connect timeout after 6 s");
}

TEST_F(SynProbeNetns, ConcurrentProbesOfOneTargetAllAnswered) {
  const int listener = listen_in_server("203.0.113.10", 10010);
  listen_in_server("198.51.100.2", 10011);
  // Five checkers of one target (the pool grows to five ports), one of another, started in the
  // same round so their SYNs leave in one sendmmsg.
  std::vector<std::optional<ProbeResult>> results(6);
  for (std::size_t i = 0; i < results.size(); ++i) {
    SynProbe& p = i < 5 ? make("203.0.113.10", 10010) : make("198.51.100.2", 10011);
    p.start([&results, i](ProbeResult r) { results[i] = std::move(r); });
  }
  EXPECT_EQ(prober_->in_flight(), 6u);
  run_until(
      [&] {
        return std::all_of(results.begin(), results.end(),
                           [](const auto& r) { return r.has_value(); });
      },
      3000ms);
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].has_value()) << i;
    EXPECT_TRUE(results[i]->success) << i << ": " << results[i]->reason;
  }
  EXPECT_TRUE(accept_queue_empty(listener));
  EXPECT_EQ(server_connections(), "");
}

TEST_F(SynProbeNetns, BindtoIsTheSource) {
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  listen_in_server("203.0.113.10", 10040);
  // Only SYNs from 198.51.100.3 reach the port; the route's source would be 198.51.100.1.
  ASSERT_EQ(nft("table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                "  tcp dport 10040 ip saddr != 198.51.100.3 reject with tcp reset\n }\n}\n"),
            0);
  auto r = probe_once(make("203.0.113.10", 10040));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success) << "the route's source got through";
  Checker c = tcp_check();
  c.bindto = IpAddress::parse("198.51.100.3");
  r = probe_once(make("203.0.113.10", 10040, c));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;

  c.bindto = IpAddress::parse("198.51.100.99");  // not an address of ours
  r = probe_once(make("203.0.113.10", 10040, c));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
  EXPECT_EQ(r->reason, "bind to 198.51.100.99:0: Cannot assign requested address");
}

TEST_F(SynProbeNetns, SameOutcomeAndReasonAsConnect) {
  // Every way a SYN can be answered, probed at once by a SYN probe and by connect() (TcpProbe):
  // both must say the same, word for word.
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  listen_in_server("203.0.113.10", 10070);
  for (std::uint16_t port = 10071; port <= 10075; ++port) listen_in_server("203.0.113.10", port);
  ASSERT_EQ(nft("table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                "  tcp dport 10072 reject with icmp type host-unreachable\n"
                "  tcp dport 10073 reject with icmp type port-unreachable\n"
                "  tcp dport 10074 reject with icmp type admin-prohibited\n"
                "  tcp dport 10075 drop\n }\n}\n"),
            0);
  struct Case {
    std::string ip;
    std::uint16_t port;
    const char* what;
  };
  const std::vector<Case> cases = {
      {"203.0.113.10", 10070, "open"},
      {"203.0.113.10", 10079, "closed port"},
      {"203.0.113.10", 10072, "REJECT icmp host-unreachable"},
      {"203.0.113.10", 10073, "REJECT icmp port-unreachable"},
      {"203.0.113.10", 10074, "REJECT icmp admin-prohibited"},
      {"203.0.113.10", 10075, "DROP"},
      {"198.51.100.50", 80, "no neighbour answers ARP"},
      {"203.0.113.200", 80, "no route"},
  };
  std::vector<std::unique_ptr<Probe>> probes;
  std::vector<std::optional<ProbeResult>> results(cases.size() * 2);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Checker c = tcp_check(5s);
    c.connect = Endpoint{*IpAddress::parse(cases[i].ip), cases[i].port};
    probes.push_back(make_probe(ProbeContext{*loop_, nullptr, prober_.get()}, c));
    probes.push_back(make_probe(ProbeContext{*loop_, nullptr, nullptr}, c));
  }
  for (std::size_t i = 0; i < probes.size(); ++i) {
    probes[i]->start([&results, i](ProbeResult r) { results[i] = std::move(r); });
  }
  run_until(
      [&] {
        return std::all_of(results.begin(), results.end(),
                           [](const auto& r) { return r.has_value(); });
      },
      8000ms);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& syn = results[2 * i];
    const auto& connect = results[2 * i + 1];
    ASSERT_TRUE(syn.has_value() && connect.has_value()) << cases[i].what;
    EXPECT_EQ(syn->success, connect->success) << cases[i].what;
    EXPECT_EQ(syn->reason, connect->reason) << cases[i].what;
    std::printf("%-30s syn: %-5s %-50s connect: %s\n", cases[i].what, syn->success ? "up" : "down",
                syn->reason.c_str(), connect->reason.c_str());
  }
}

TEST_F(SynProbeNetns, NoRouteFailsAtOnce) {
  auto r = probe_once(make("203.0.113.200", 80));  // only 203.0.113.0/25 is routed
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
  EXPECT_EQ(r->reason, "connect to 203.0.113.200:80: Network is unreachable");
}

TEST_F(SynProbeNetns, DestroyingAProbeCancelsIt) {
  if (sh("command -v nft >/dev/null") != 0) GTEST_SKIP() << "nft is not installed";
  listen_in_server("203.0.113.10", 10030);
  ASSERT_EQ(nft("table inet lvsctl_test {\n chain in {\n  type filter hook input priority 0;\n"
                "  tcp dport 10030 drop\n }\n}\n"),
            0);
  bool reported = false;
  make("203.0.113.10", 10030, tcp_check(300ms)).start([&](ProbeResult) { reported = true; });
  EXPECT_EQ(prober_->in_flight(), 1u);
  probes_.clear();
  EXPECT_EQ(prober_->in_flight(), 0u);
  const auto end = SteadyTime::now() + 600ms;
  while (SteadyTime::now() < end) ASSERT_TRUE(loop_->run_once(20ms).ok());
  EXPECT_FALSE(reported);
}

TEST_F(SynProbeNetns, MakeProbeUsesConnectForIpv6AndBindPort) {
  // IPv6 targets and a configured source port keep the connect() probe: the listener then
  // has a completed connection in its accept queue, which a SYN probe never leaves.
  ASSERT_EQ(sh("ip -n " + server_ns_ +
               " addr add 2001:db8::2/64 dev s0 nodad && ip addr add 2001:db8::1/64 dev d0 nodad"),
            0);
  Fd ns{::open(("/run/netns/" + server_ns_).c_str(), O_RDONLY | O_CLOEXEC)};
  ASSERT_EQ(::setns(ns.get(), CLONE_NEWNET), 0);
  Fd v6{::socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(10050);
  ::inet_pton(AF_INET6, "2001:db8::2", &a.sin6_addr);
  const bool bound = ::bind(v6.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                     ::listen(v6.get(), 8) == 0;
  ASSERT_EQ(::setns(home_.get(), CLONE_NEWNET), 0);
  ASSERT_TRUE(bound);
  const int v4 = listen_in_server("203.0.113.10", 10051);

  Checker c = tcp_check();
  c.connect = Endpoint{*IpAddress::parse("2001:db8::2"), 10050};
  auto probe = make_probe(ProbeContext{*loop_, nullptr, prober_.get()}, c);
  auto r = probe_once(*probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
  EXPECT_FALSE(accept_queue_empty(v6.get()));

  c.connect = Endpoint{*IpAddress::parse("203.0.113.10"), 10051};
  c.bind_port = 10052;
  probe = make_probe(ProbeContext{*loop_, nullptr, prober_.get()}, c);
  r = probe_once(*probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
  EXPECT_FALSE(accept_queue_empty(v4));

  c.bind_port.reset();  // the same check without a source port: a SYN probe
  probe = make_probe(ProbeContext{*loop_, nullptr, prober_.get()}, c);
  r = probe_once(*probe);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success) << r->reason;
  EXPECT_TRUE(accept_queue_empty(v4));
}

// Drops CAP_NET_RAW from this process's effective and permitted sets (root keeps the rest).
bool drop_net_raw() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  const std::uint32_t bit = 1u << (CAP_NET_RAW % 32);
  data[CAP_NET_RAW / 32].effective &= ~bit;
  data[CAP_NET_RAW / 32].permitted &= ~bit;
  return ::syscall(SYS_capset, &header, data) == 0;
}

TEST_F(SynProbeNetns, WithoutCapNetRawTcpChecksConnect) {
  const int listener = listen_in_server("203.0.113.10", 10080);
  const RealServerConfig server =
      real_server_config(Endpoint{*IpAddress::parse("203.0.113.10"), 10080}, {tcp_check()});
  const std::vector<RealServerConfig> servers = {server};
  EXPECT_NE(open_syn_prober(*loop_, servers, config::TcpCheckMode::Syn), nullptr);  // as root: SYN probes
  // In a child without CAP_NET_RAW: no prober, and the check is a connect() that succeeds.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (!drop_net_raw()) _exit(10);
    auto create = SynProber::create(*loop_);
    if (create || create.error().message != "raw TCP socket: Operation not permitted") _exit(11);
    auto loop = EventLoop::create();
    if (!loop) _exit(12);
    std::unique_ptr<SynProber> none = open_syn_prober(**loop, servers, config::TcpCheckMode::Syn);
    if (none) _exit(13);
    auto probe = make_probe(ProbeContext{**loop, nullptr, none.get()}, server.checkers[0]);
    if (dynamic_cast<TcpProbe*>(probe.get()) == nullptr) _exit(14);
    std::optional<ProbeResult> result;
    probe->start([&](ProbeResult r) { result = std::move(r); });
    for (int i = 0; i < 300 && !result; ++i) (void)(*loop)->run_once(10ms);
    _exit(result && result->success ? 0 : 15);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10 capset, 11 prober opened, 12 loop, 13 open_syn_prober, "
                                       "14 not a TcpProbe, 15 check failed";
  EXPECT_FALSE(accept_queue_empty(listener));  // the child's check was a real connection
}

}  // namespace
}  // namespace lvsctl::director::check
