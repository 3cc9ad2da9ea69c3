#include "director/watch_command.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "director/vrrp/advert.hpp"
#include "director/vrrp/advert_json.hpp"
#include "director/vrrp/advert_text.hpp"
#include "director/vrrp/master_conflict.hpp"
#include "director/vrrp/packet_capture.hpp"
#include "shared/cli_checks.hpp"

namespace lvsctl::director {
namespace {

namespace vrrp = lvsctl::director::vrrp;

struct WatchOptions {
  std::string interface;
  unsigned count = 0;    // 0: until interrupted
  double timeout_s = 0;  // 0: no limit
  bool json = false;     // one JSON object per line (advert_json)
};

std::string clock_text(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(us.count() / 1'000'000);
  return fmt::format("{:%H:%M:%S}.{:06}", fmt::localtime(secs), us.count() % 1'000'000);
}

int run_watch(const WatchOptions& o) {
  auto capture = vrrp::PacketCapture::open(o.interface);
  if (!capture) {
    fmt::print(stderr, "lvsctl director watch: {}\n", capture.error().message);
    return 1;
  }
  const bool limited = o.timeout_s > 0;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(o.timeout_s));
  vrrp::MasterConflictDetector detector;
  unsigned seen = 0;
  bool conflict = false;
  while (o.count == 0 || seen < o.count) {
    std::chrono::milliseconds wait{-1};
    if (limited) {
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (wait.count() <= 0) break;
    }
    auto packet = capture->next(wait);
    if (!packet) {
      fmt::print(stderr, "lvsctl director watch: {}\n", packet.error().message);
      return 1;
    }
    if (!packet->has_value()) break;  // timed out
    const vrrp::CapturedPacket& p = **packet;
    const std::string prefix =
        fmt::format("{} {}{}", clock_text(p.wall_time), p.interface, p.outgoing ? " out" : "");
    const vrrp::WireContext where{p.wall_time, p.interface, p.outgoing};
    const auto decoded = vrrp::decode(p.bytes);
    if (!decoded) {
      if (o.json) {
        fmt::print("{}", vrrp::rejection_json(where, decoded.rejection()));
      } else {
        fmt::print("{} rejected: {}\n", prefix, decoded.rejection().text());
      }
      std::fflush(stdout);
      continue;
    }
    ++seen;
    if (o.json) {
      fmt::print("{}", vrrp::advert_json(where, decoded.value()));
    } else {
      fmt::print("{} {}\n", prefix, vrrp::describe(decoded.value()));
    }
    if (auto c = detector.observe(decoded.value(), p.mono_time)) {
      conflict = true;
      if (o.json) {
        fmt::print("{}", vrrp::conflict_json(where, *c));
      } else {
        fmt::print("{} {}\n", prefix, vrrp::describe(*c));
      }
    }
    std::fflush(stdout);
  }
  if (conflict) return 3;
  if (o.count != 0 && seen < o.count) {
    fmt::print(stderr, "lvsctl director watch: saw {} of {} adverts in {} s\n", seen, o.count,
               o.timeout_s);
    return 1;
  }
  return 0;
}

}  // namespace

void add_watch_command(CLI::App& director, int& exit_code) {
  auto opts = std::make_shared<WatchOptions>();
  CLI::App* cmd = director.add_subcommand(
      "watch",
      "Decode the VRRP adverts on the wire (like `tcpdump -i IF vrrp`) and flag two masters for "
      "one VRID. Exit 3 when two masters were seen.");
  cmd->add_option("-i,--interface", opts->interface, "interface to watch (default: all)")
      ->check(cli_checks::non_empty());
  cmd->add_option("--count", opts->count, "stop after N adverts (default: until interrupted)");
  cmd->add_option("--timeout", opts->timeout_s,
                  "stop after SECONDS; exit 1 if fewer than --count adverts were seen")
      ->check(cli_checks::finite_seconds());
  cmd->add_flag("--json", opts->json,
                "one JSON object per line: event advert, rejected or two_masters, with time, "
                "interface and the advert's fields");
  cmd->callback([opts, &exit_code] { exit_code = run_watch(*opts); });
}

}  // namespace lvsctl::director
