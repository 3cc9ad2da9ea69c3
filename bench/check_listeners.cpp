// bench_check_listeners: the real servers of bench/check_vs_keepalived.sh and
// bench/check_kinds_vs_keepalived.sh. Listens on N TCP ports (203.0.113.1, .2, ... with 2,000
// ports each from 20000, the layout of bench_check_tcp), accepts and closes every connection, and
// counts the accepts: one accept is one completed TCP_CHECK, whichever checker made it, so the
// same count serves lvsctl and keepalived. With `udp`, N UDP ports of the same layout instead,
// each echoing every datagram back to its sender (a UDP_CHECK whose require_reply is its payload),
// counting the datagrams.
// On SIGUSR1 it writes the count so far to COUNT_FILE (written then renamed, so a reader never
// sees half a number). Runs until SIGTERM. Call it inside the namespace that holds the addresses.
//
//   bench_check_listeners N COUNT_FILE [tcp|udp]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "shared/event_loop.hpp"

using namespace lvsctl;

namespace {

constexpr int kPortsPerAddress = 2000;
constexpr int kFirstPort = 20000;

Fd listen_on(int i, bool udp) {
  const std::string ip = "203.0.113." + std::to_string(1 + i / kPortsPerAddress);
  Fd fd{::socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(kFirstPort + i % kPortsPerAddress));
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || (!udp && ::listen(fd.get(), 128) != 0)) {
    std::perror(("listen " + ip + ":" + std::to_string(ntohs(a.sin_port))).c_str());
    std::exit(1);
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc == 3 || argc == 4 ? std::atoi(argv[1]) : 0;
  const std::string mode = argc == 4 ? argv[3] : "tcp";
  if (n <= 0 || n > 250 * kPortsPerAddress || (mode != "tcp" && mode != "udp")) {
    std::fprintf(stderr, "usage: %s N COUNT_FILE [tcp|udp]   (1 <= N <= %d)\n", argv[0], 250 * kPortsPerAddress);
    return 2;
  }
  const bool udp = mode == "udp";
  const std::string count_file = argv[2];
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);

  auto loop = EventLoop::create();
  if (!loop) {
    std::fprintf(stderr, "%s\n", loop.error().message.c_str());
    return 1;
  }
  std::vector<Fd> listeners;
  std::uint64_t accepted = 0;
  for (int i = 0; i < n; ++i) {
    listeners.push_back(listen_on(i, udp));
    const int lfd = listeners.back().get();
    if (udp) {
      (void)(*loop)->watch(lfd, io::kReadable, [lfd, &accepted](std::uint32_t) {
        char buf[512];
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        for (ssize_t r; (r = ::recvfrom(lfd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len)) >= 0;
             len = sizeof peer) {
          (void)::sendto(lfd, buf, static_cast<std::size_t>(r), 0, reinterpret_cast<sockaddr*>(&peer), len);
          ++accepted;
        }
      });
      continue;
    }
    (void)(*loop)->watch(lfd, io::kReadable, [lfd, &accepted](std::uint32_t) {
      for (int c; (c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
        ::close(c);
        ++accepted;
      }
    });
  }
  (void)(*loop)->on_signal(SIGUSR1, [&](const SignalInfo&) {
    std::ofstream(count_file + ".tmp", std::ios::trunc) << accepted << "\n";
    std::rename((count_file + ".tmp").c_str(), count_file.c_str());
  });
  (void)(*loop)->on_signal(SIGTERM, [&](const SignalInfo&) { (*loop)->stop(); });
  std::printf("listening on %d %s ports\n", n, udp ? "UDP" : "TCP");
  std::fflush(stdout);
  return (*loop)->run() ? 0 : 1;
}
