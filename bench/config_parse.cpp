// Parse + validate a generated keepalived.conf of 10,000 virtual servers x 4 real servers, each
// real server with a TCP_CHECK. Prints the text size, wall time and peak RSS.
// Target (issue 2): under 0.5 s and under 100 MB on the 2-core CI machines.
// Usage: bench_config_parse [SERVICES] [REAL_SERVERS_PER_SERVICE]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "director/config/build.hpp"
#include "director/config/load.hpp"
#include "director/config/validate.hpp"
#include "shared/conf/source_files.hpp"

namespace {

std::string generate(int services, int reals) {
  std::string text;
  text.reserve(static_cast<std::size_t>(services) * static_cast<std::size_t>(reals) * 200U);
  text += "global_defs {\n    router_id BENCH\n}\n";
  text +=
      "vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 100\n"
      "    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        203.0.113.100\n"
      "    }\n}\n";
  for (int s = 0; s < services; ++s) {
    // Spread services over 203.0.113.0/24 and ports 1024..; real servers in 198.51.100.0/24.
    const int port = 1024 + s / 250;
    const int vip = 1 + s % 250;
    text += fmt::format(
        "virtual_server 203.0.113.{} {} {{\n    delay_loop 6\n    lvs_sched rr\n"
        "    lvs_method DR\n    persistence_timeout 50\n    protocol TCP\n",
        vip, port);
    for (int r = 0; r < reals; ++r) {
      text += fmt::format(
          "    real_server 198.51.100.{} {} {{\n        weight 1\n"
          "        TCP_CHECK {{\n            connect_timeout 10\n"
          "            retry 3\n            delay_before_retry 3\n"
          "            connect_port {}\n        }}\n    }}\n",
          1 + r, port, port);
    }
    text += "}\n";
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int reals = argc > 2 ? std::atoi(argv[2]) : 4;
  const std::string text = generate(services, reals);

  lvsctl::conf::MemorySources files;
  namespace config = lvsctl::director::config;
  using Clock = std::chrono::steady_clock;
  auto rss_mb = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
  };
  const double rss_text = rss_mb();
  auto cpu_seconds = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  auto parsed = config::parse_config(text, "bench.conf", files);
  const auto stop = Clock::now();
  const double cpu = cpu_seconds() - cpu_start;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::size_t real_servers = 0;
  for (const auto& vs : parsed.config.virtual_servers) real_servers += vs.real_servers.size();
  const double seconds = std::chrono::duration<double>(stop - start).count();
  fmt::print(
      "config_parse: {} virtual servers x {} real servers ({} real servers), {:.1f} MB "
      "of text\n",
      parsed.config.virtual_servers.size(), reals, real_servers,
      static_cast<double>(text.size()) / 1e6);
  fmt::print(
      "config_parse: parse + validate {:.3f} s wall, {:.3f} s CPU, peak RSS {:.1f} MB "
      "(target < 0.5 s, < 100 MB), {} diagnostics ({})\n",
      seconds, cpu, static_cast<double>(usage.ru_maxrss) / 1024.0, parsed.diags.size(),
      lvsctl::conf::has_errors(parsed.diags) ? "with errors" : "no errors");
  // Then each stage on its own (after the pipeline, so its peak RSS does not count above).
  double t_statements = 0, t_build = 0, t_validate = 0, rss_tree = 0;
  {
    lvsctl::conf::Diagnostics diags;
    const auto t0 = Clock::now();
    auto statements = lvsctl::conf::parse_statements(text, "bench.conf", files, diags);
    const auto t1 = Clock::now();
    rss_tree = rss_mb();
    auto built = config::build_config(statements, diags);
    const auto t2 = Clock::now();
    config::validate_config(built, diags);
    const auto t3 = Clock::now();
    t_statements = std::chrono::duration<double>(t1 - t0).count();
    t_build = std::chrono::duration<double>(t2 - t1).count();
    t_validate = std::chrono::duration<double>(t3 - t2).count();
  }
  fmt::print(
      "config_parse: stages: statements {:.3f} s, build {:.3f} s, validate {:.3f} s; "
      "peak RSS with text only {:.1f} MB, after a second statement tree {:.1f} MB\n",
      t_statements, t_build, t_validate, rss_text, rss_tree);

  for (std::size_t i = 0; i < parsed.diags.size() && i < 5; ++i) {
    fmt::print(stderr, "{}\n", lvsctl::conf::format(parsed.diags[i]));
  }
  return lvsctl::conf::has_errors(parsed.diags) ? 1 : 0;
}
