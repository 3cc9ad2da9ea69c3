// bench_vip_load: the two ends of bench/vip_rps.sh, requests per second through a VIP.
//   bench_vip_load serve NAME PORT        accept TCP connections; send "NAME\n" and close each
//   bench_vip_load load ADDR PORT SECONDS THREADS
//                                          THREADS clients, each in a loop: connect, read the
//                                          name until the server closes, close; for SECONDS.
//                                          Prints "requests R in S s: X req/s, failed F, NAME=n ..."
// A request is a whole short TCP connection (the datapath's work is per connection: a new
// conntrack entry / IPVS connection, the scheduler's choice, the NAT both ways). Prints
// figures, asserts nothing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

int serve(const char* name, int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 4096) != 0) {
    std::perror("bench_vip_load serve");
    return 1;
  }
  std::string line = std::string(name) + "\n";
  for (;;) {
    const int c = ::accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    (void)!::write(c, line.data(), line.size());
    ::close(c);
  }
}

int load(const char* addr, int port, double seconds, int threads) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
    std::fprintf(stderr, "bench_vip_load: bad address %s\n", addr);
    return 2;
  }
  std::atomic<long> ok{0}, failed{0};
  std::mutex mutex;
  std::map<std::string, long> names;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(seconds));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::map<std::string, long> mine;
      while (std::chrono::steady_clock::now() < end) {
        const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        char buf[64];
        std::size_t got = 0;
        bool good = ::connect(c, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
        while (good) {
          const ssize_t n = ::read(c, buf + got, sizeof buf - 1 - got);
          if (n <= 0) break;
          got += static_cast<std::size_t>(n);
          if (got == sizeof buf - 1) break;
        }
        ::close(c);
        std::string name(buf, got);
        while (!name.empty() && name.back() == '\n') name.pop_back();
        if (good && !name.empty()) {
          ++ok;
          ++mine[name];
        } else {
          ++failed;
        }
      }
      std::lock_guard lock(mutex);
      for (const auto& [n, c] : mine) names[n] += c;
    });
  }
  for (auto& w : workers) w.join();
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("requests %ld in %.1f s: %.0f req/s, failed %ld,", ok.load(), took,
              static_cast<double>(ok.load()) / took, failed.load());
  for (const auto& [n, c] : names) std::printf(" %s=%ld", n.c_str(), c);
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && !std::strcmp(argv[1], "serve")) return serve(argv[2], std::atoi(argv[3]));
  if (argc == 6 && !std::strcmp(argv[1], "load")) {
    return load(argv[2], std::atoi(argv[3]), std::atof(argv[4]), std::atoi(argv[5]));
  }
  std::fprintf(stderr, "usage: bench_vip_load serve NAME PORT | load ADDR PORT SECONDS THREADS\n");
  return 2;
}
