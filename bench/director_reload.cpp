// bench_director_reload: the host-side cost of `lvsctl director run`'s reload (SIGHUP) path for a
// big config, without a kernel: the unchanged-files check (the fast path), read + parse +
// validate the file, the HealthMonitor rebuild with state carried over from the running one
// (the daemon's "VRRP and health checks" step; the loop never runs, so no probe starts), build
// the desired IPVS table, plan it against the table kept from the last apply. The same config as bench/ipvs_reload.sh
// (which measures the whole reload inside the VM, where TCG slows everything ~10x).
// Prints the median of 5 runs (CPU time per stage, and wall time) for an unchanged file and for a
// file with one weight changed.
// Usage: bench_director_reload [SERVICES] [DESTINATIONS]   (default 10000 x 4)
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "director/config/load.hpp"
#include "director/daemon/health_monitor.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/ipvs/plan.hpp"

namespace {

namespace config = lvsctl::director::config;
namespace ipvs = lvsctl::director::ipvs;
using Clock = std::chrono::steady_clock;

// bench/ipvs_reload.sh's config: 100 VIPs x ports from 1000, `dests` weighted real servers each.
// `bumped`: the service whose first real server gets weight 9 (-1: none).
std::string generate(int services, int dests, int bumped) {
  std::string text;
  for (int i = 0; i < services; ++i) {
    const int port = 1000 + i / 100;
    text += fmt::format(
        "virtual_server 198.51.100.{} {} {{\n    lvs_sched wrr\n    lvs_method DR\n"
        "    protocol TCP\n",
        i % 100 + 1, port);
    for (int k = 1; k <= dests; ++k) {
      text += fmt::format("    real_server 203.0.113.{} {} {{\n        weight {}\n    }}\n", k,
                          port, i == bumped && k == 1 ? 9 : k);
    }
    text += "}\n";
  }
  return text;
}

// CPU time of this process: on a loaded machine (the vm tier running beside) wall time mostly
// measures the wait for a core; the CPU split says what the reload path costs.
double cpu_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Run {
  double check = 0, parse = 0, health = 0, desired = 0, plan = 0, wall = 0;
  std::size_t ops = 0;
};

// The daemon's running state a reload replaces: its config, sources and health monitor.
struct Running {
  std::unique_ptr<lvsctl::EventLoop> loop;
  std::unique_ptr<config::Config> config;
  lvsctl::conf::SourceManifest sources;
  std::unique_ptr<lvsctl::director::HealthMonitor> health;

  void replace(config::ParsedConfig&& parsed) {
    auto next = std::make_unique<config::Config>(std::move(parsed.config));
    auto monitor = lvsctl::director::HealthMonitor::start(*loop, *next, [] {}, {}, health.get());
    if (!monitor) {
      std::fprintf(stderr, "bench_director_reload: %s\n", monitor.error().message.c_str());
      std::exit(1);
    }
    health = std::move(*monitor);
    config = std::move(next);
    sources = std::move(parsed.sources);
  }
};

Run reload(const std::string& path, const ipvs::Table& known, Running& running) {
  Run r;
  const auto start = Clock::now();
  const double t0 = cpu_now();
  if (!config::config_files_changed(running.sources)) r.ops = 0;  // measured, not taken
  const double t1 = cpu_now();
  auto parsed = config::load_config_file(path);
  const double t2 = cpu_now();
  if (lvsctl::conf::has_errors(parsed.diags)) {
    std::fprintf(stderr, "bench_director_reload: the generated config has errors\n");
    std::exit(1);
  }
  running.replace(std::move(parsed));
  const double t3 = cpu_now();
  const auto desired = lvsctl::director::desired_table(*running.config, running.health->lookup());
  const double t4 = cpu_now();
  r.ops = ipvs::plan(desired, known).size();
  const double t5 = cpu_now();
  r.check = t1 - t0;
  r.parse = t2 - t1;
  r.health = t3 - t2;
  r.desired = t4 - t3;
  r.plan = t5 - t4;
  r.wall = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

Run median(std::vector<Run> runs) {
  auto pick = [&](double Run::*field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.*field);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  return Run{pick(&Run::check),   pick(&Run::parse), pick(&Run::health), pick(&Run::desired),
             pick(&Run::plan),    pick(&Run::wall),  runs.front().ops};
}

void print(const char* what, const Run& r) {
  fmt::print(
      "{}: CPU {:.3f} s = parse {:.3f} s + health monitor {:.3f} s + desired table {:.3f} s + "
      "plan {:.3f} s (wall {:.3f} s); {} ops; unchanged-files check alone {:.3f} s\n",
      what, r.parse + r.health + r.desired + r.plan, r.parse, r.health, r.desired, r.plan, r.wall,
      r.ops, r.check);
}

}  // namespace

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int dests = argc > 2 ? std::atoi(argv[2]) : 4;
  char path[] = "/tmp/bench_director_reload.XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 1;
  ::close(fd);
  auto write = [&](const std::string& text) { std::ofstream(path, std::ios::trunc) << text; };

  const std::string text = generate(services, dests, -1);
  write(text);
  auto first = config::load_config_file(path);
  const auto applied = ipvs::table_after(
      lvsctl::director::desired_table(first.config, lvsctl::director::all_healthy(first.config)),
      {});
  fmt::print("config: {} services x {} destinations, {:.1f} MB, {} warnings\n", services, dests,
             static_cast<double>(text.size()) / 1e6, first.diags.size());
  auto loop = lvsctl::EventLoop::create();
  if (!loop) return 1;
  Running running{std::move(*loop), nullptr, {}, nullptr};
  running.replace(std::move(first));

  constexpr int kRuns = 5;
  std::vector<Run> unchanged, weight;
  for (int i = 0; i < kRuns; ++i) unchanged.push_back(reload(path, applied, running));
  write(generate(services, dests, services / 2));
  for (int i = 0; i < kRuns; ++i) weight.push_back(reload(path, applied, running));
  std::remove(path);
  print("unchanged reload (median of 5)", median(unchanged));
  print("one weight changed (median of 5)", median(weight));
  return 0;
}
