// bench_nft_program: the nftables datapath at scale. Loads N services x M real servers (rr, so
// lcm(1..M) slots each) into `table ip lvsctl` as ONE transaction, then times one real server's
// health change (plan + one transaction that edits map elements), an unchanged re-plan, and the
// table's removal. Runs in a private network namespace of its own (unshare(CLONE_NEWNET), root),
// so nothing touches the host. Prints figures; asserts nothing about time. Targets (issue 15):
// load 10,000 x 4 under 1 s, one health change under 20 ms.
//   build/bench/bench_nft_program [--services 10000] [--dests 4] [--changes 20] [--scheduler rr]
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "director/datapath/nft_lb_plan.hpp"
#include "director/datapath/nft_lb_writer.hpp"
#include "shared/nft/nft_socket.hpp"

namespace ipvs = lvsctl::director::ipvs;
namespace nftlb = lvsctl::director::datapath::nftlb;
using lvsctl::IpAddress;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

ipvs::Table make_table(int services, int dests, const std::string& scheduler) {
  ipvs::Table t;
  for (int i = 0; i < services; ++i) {
    ipvs::Service s;
    s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp,
                                   IpAddress::v4(0xcb007100u + 1u + static_cast<unsigned>(i % 200)),
                                   static_cast<std::uint16_t>(1000 + i / 200));
    s.scheduler = scheduler;
    for (int j = 0; j < dests; ++j) {
      ipvs::Destination d;
      d.address = IpAddress::v4(0xc6336400u + 1u + static_cast<unsigned>((i + j * 7) % 250));
      d.port = 80;
      d.forwarding = ipvs::Forwarding::Nat;
      d.weight = 1;
      s.destinations.push_back(d);
    }
    t.push_back(std::move(s));
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int services = 10000, dests = 4, changes = 20;
  std::string scheduler = "rr";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--services")) services = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dests")) dests = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--changes")) changes = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--scheduler")) scheduler = argv[i + 1];
  }
  if (::unshare(CLONE_NEWNET) != 0) {
    std::printf("bench_nft_program: needs root for a private network namespace (%s)\n",
                std::strerror(errno));
    return 77;
  }
  auto socket = lvsctl::NftSocket::open();
  if (!socket) {
    std::printf("bench_nft_program: %s\n", socket.error().message.c_str());
    return 1;
  }
  const lvsctl::director::datapath::HeldVips all;
  auto desired = make_table(services, dests, scheduler);

  auto t0 = Clock::now();
  auto table = nftlb::build_table(desired, all, {});
  auto full = nftlb::plan(table, {}, false);
  const double plan_ms = ms_since(t0);
  t0 = Clock::now();
  auto sent = nftlb::write_changes(*socket, full);
  const double load_ms = ms_since(t0);
  if (!sent) {
    std::printf("load failed: %s\n", sent.error().message.c_str());
    return 1;
  }
  std::size_t elements = 0;
  for (const auto& s : table.services) elements += s.slot_backend.size();
  std::printf("load %d services x %d real servers (%s, %u slots each, %zu backend elements): "
              "plan %.1f ms, one transaction of %zu messages in %.1f ms (target < 1000 ms)\n",
              services, dests, scheduler.c_str(), table.services.front().slots, elements, plan_ms,
              *sent, load_ms);

  // One real server down in one service, then back (the next pair: another service): element
  // edits only.
  std::vector<double> change_ms, write_ms;
  for (int c = 0; c < changes; ++c) {
    auto& svc = desired[static_cast<std::size_t>((c / 2 * 37) % services)];
    const bool down = c % 2 == 0;
    static ipvs::Destination removed;
    if (down) {
      removed = svc.destinations.front();
      svc.destinations.erase(svc.destinations.begin());
    } else {
      svc.destinations.insert(svc.destinations.begin(), removed);
    }
    t0 = Clock::now();
    auto next = nftlb::build_table(desired, all, table);
    auto diff = nftlb::plan(next, table, true);
    const auto t1 = Clock::now();
    auto st = nftlb::write_changes(*socket, diff);
    change_ms.push_back(ms_since(t0));
    write_ms.push_back(ms_since(t1));
    if (!st || diff.ruleset_changes() != 0) {
      std::printf("health change failed or touched rules: %s\n",
                  st ? "rules changed" : st.error().message.c_str());
      return 1;
    }
    table = std::move(next);
  }
  std::sort(change_ms.begin(), change_ms.end());
  std::sort(write_ms.begin(), write_ms.end());
  if (!change_ms.empty()) {
    std::printf("one real server health change, %zu runs: the transaction median %.2f ms, max "
                "%.2f ms (target < 20 ms); with build + plan of the whole table median %.2f ms, "
                "max %.2f ms\n",
                change_ms.size(), write_ms[write_ms.size() / 2], write_ms.back(),
                change_ms[change_ms.size() / 2], change_ms.back());
  }
  t0 = Clock::now();
  auto same = nftlb::plan(nftlb::build_table(desired, all, table), table, true);
  std::printf("unchanged re-plan of the whole table: %.1f ms, %s\n", ms_since(t0),
              same.empty() ? "no change" : "CHANGES (unexpected)");
  t0 = Clock::now();
  auto del = nftlb::delete_table(*socket);
  std::printf("table removal: %.1f ms%s\n", ms_since(t0), del ? "" : " (failed)");
  std::printf("transactions sent: %llu\n",
              static_cast<unsigned long long>(socket->batches_sent()));
  return 0;
}
