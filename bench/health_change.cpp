// bench_health_change: one real server's health change end to end, as `director run` handles it:
// from the health event (the check engine's transition, here a flipped health flag) to the
// datapath's transaction acknowledged by the kernel, at N services x M real servers (keepalived
// NAT virtual servers, rr). Two paths on the same table, one after the other:
//   - today's daemon path (datapath_feed): the desired table kept between changes recomputes
//     only the changed virtual server, and the datapath plans and writes only its services
//     (Datapath::apply_changed);
//   - the former path, for comparison: the whole desired table rebuilt from the config and
//     handed to Datapath::apply, which builds and plans all of it against the applied table.
// Also prints the initial load (one transaction for nftables). Runs in a private network
// namespace of its own (unshare, root; lo up), so nothing outside it is touched. Prints figures;
// asserts nothing about time (target of issue 15: < 20 ms at 10,000 x 4).
//   build/bench/bench_health_change [--backend nftables|ipvs] [--services 10000] [--dests 4]
//                                   [--changes 20] [--gap-ms 100]
// --gap-ms: the pause between two changes (health events come apart; back to back, 0, the
// kernel's commit is faster than after a pause).
// IPVS needs its kernel: tests/vm/run-in-vm.sh build/bench/bench_health_change --backend ipvs
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "director/config/load.hpp"
#include "director/daemon/datapath_feed.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/datapath/ipvs_datapath.hpp"
#include "director/datapath/nft_datapath.hpp"
#include "shared/conf/source_files.hpp"
#include "shared/event_loop.hpp"

namespace config = lvsctl::director::config;
namespace datapath = lvsctl::director::datapath;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// 200 VIPs (203.0.113.1-200) x ports from 1000; real servers on 198.51.100.0/24.
std::string generate(int services, int dests) {
  std::string text;
  text.reserve(static_cast<std::size_t>(services) * static_cast<std::size_t>(60 + 50 * dests));
  for (int i = 0; i < services; ++i) {
    const int port = 1000 + i / 200;
    text += fmt::format("virtual_server 203.0.113.{} {} {{\n lb_algo rr\n lb_kind NAT\n"
                        " protocol TCP\n",
                        i % 200 + 1, port);
    for (int j = 0; j < dests; ++j) {
      text += fmt::format(" real_server 198.51.100.{} 80 {{\n  weight 1\n }}\n",
                          1 + (i + j * 7) % 250);
    }
    text += "}\n";
  }
  return text;
}

bool lo_up() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  ::close(fd);
  return ok;
}

struct Figures {
  std::vector<double> ms;
  void print(const char* what) {
    if (ms.empty()) return;
    std::sort(ms.begin(), ms.end());
    fmt::print("{}: {} changes, median {:.2f} ms, min {:.2f} ms, max {:.2f} ms\n", what,
               ms.size(), ms[ms.size() / 2], ms.front(), ms.back());
  }
};

}  // namespace

int main(int argc, char** argv) {
  int services = 10000, dests = 4, changes = 20, gap_ms = 100;
  std::string backend = "nftables";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--services")) services = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dests")) dests = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--changes")) changes = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--backend")) backend = argv[i + 1];
    else if (!std::strcmp(argv[i], "--gap-ms")) gap_ms = std::atoi(argv[i + 1]);
  }
  if (services < 1 || dests < 1 || changes < 0 || (backend != "nftables" && backend != "ipvs")) {
    std::fprintf(stderr, "usage: bench_health_change [--backend nftables|ipvs] [--services N] "
                         "[--dests M] [--changes C]\n");
    return 2;
  }
  if (::unshare(CLONE_NEWNET) != 0 || !lo_up()) {
    std::printf("bench_health_change: needs root for a private network namespace (%s)\n",
                std::strerror(errno));
    return 77;
  }
  spdlog::set_level(spdlog::level::warn);  // the datapath logs each transaction at info

  auto t0 = Clock::now();
  lvsctl::conf::MemorySources reader;
  auto parsed = config::parse_config(generate(services, dests), "bench.conf", reader);
  if (lvsctl::conf::has_errors(parsed.diags)) {
    std::printf("bench_health_change: the generated config has errors\n");
    return 1;
  }
  const config::Config& cfg = parsed.config;
  fmt::print("{} virtual servers x {} real servers (NAT, rr), {} datapath; config parsed in "
             "{:.0f} ms\n",
             services, dests, backend, ms_since(t0));

  auto loop = lvsctl::EventLoop::create();
  if (!loop) return 1;
  std::unique_ptr<datapath::Datapath> dp;
  if (backend == "ipvs") {
    dp = std::make_unique<datapath::IpvsDatapath>(**loop);
  } else {
    dp = std::make_unique<datapath::NftDatapath>(**loop);
  }
  if (!dp->status().available) {
    std::printf("bench_health_change: the %s datapath is unavailable: %s\n", backend.c_str(),
                dp->status().unavailable_reason.c_str());
    return 77;
  }

  // Health as the check engine would report it: every real server up, one flipped at a time.
  std::vector<std::vector<bool>> up(cfg.virtual_servers.size());
  for (std::size_t v = 0; v < up.size(); ++v) up[v].assign(cfg.virtual_servers[v].real_servers.size(), true);
  lvsctl::director::HealthLookup health;
  health.real_server = [&](std::size_t v, std::size_t r) {
    return lvsctl::director::DestinationHealth{up[v][r], cfg.virtual_servers[v].real_servers[r].weight};
  };
  health.quorum_up = [](std::size_t) { return true; };
  const auto all = datapath::HeldVips::everything();

  lvsctl::director::DesiredTable desired;
  t0 = Clock::now();
  desired.rebuild(cfg, health);
  const double desired_ms = ms_since(t0);
  t0 = Clock::now();
  const std::string load = dp->apply(desired.table(), all);
  fmt::print("initial load: desired table {:.1f} ms, apply {:.1f} ms ({})\n", desired_ms,
             ms_since(t0), load);

  // One real server down, then up again (the next pair: another virtual server).
  auto flip = [&](int c) {
    const std::size_t v = static_cast<std::size_t>((c / 2 * 37) % services);
    up[v][0] = c % 2 != 0;
    return v;
  };
  Figures patched, whole;
  std::string line;
  const auto gap = std::chrono::milliseconds(gap_ms);
  for (int c = 0; c < changes; ++c) {
    std::this_thread::sleep_for(gap);
    const std::size_t v = flip(c);
    t0 = Clock::now();
    line = lvsctl::director::feed_health_change(desired, *dp, cfg, health, std::span(&v, 1), all);
    patched.ms.push_back(ms_since(t0));
  }
  if (changes > 0) fmt::print("last change (per-service path): {}\n", line);
  fmt::print("whole re-plan after the per-service changes (expected: no change): {}\n",
             dp->apply(desired.table(), all));
  for (int c = 0; c < changes; ++c) {
    std::this_thread::sleep_for(gap);
    flip(c + 2 * changes);  // other virtual servers than above
    t0 = Clock::now();
    line = dp->apply(lvsctl::director::desired_table(cfg, health), all);
    whole.ms.push_back(ms_since(t0));
  }
  if (changes > 0) fmt::print("last change (whole table): {}\n", line);
  patched.print("health event -> transaction acked, per-service path (director run)");
  whole.print("health event -> transaction acked, whole table rebuilt and planned (before)");
  fmt::print("(each change after a pause of {} ms)\n", gap_ms);
  fmt::print("transactions / requests sent: {} / {}\n", dp->status().transactions,
             dp->status().requests_sent);
  return 0;
}
