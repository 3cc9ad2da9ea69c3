// bench_ipvs_program: wall time to program an IPVS table of N services x M destinations with the
// lvsctl client (plan + batched generic netlink), compared with `ipvsadm -R` of the same table
// and keepalived starting on the same table, plus the cost of an unchanged reload (dump + plan,
// and plan against the kept table as the daemon does) and of a one-weight reload. Needs IPVS:
// run it in the VM, e.g.
//   tests/vm/run-in-vm.sh build/bench/bench_ipvs_program --services 1000 --dests 10
// Prints figures; asserts nothing about time. Uses only test addresses (203.0.113.0/24 VIPs,
// 198.51.100.0/24 real servers) inside the network namespace it is started in, which it flushes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "director/ipvs/client.hpp"
#include "director/ipvs/plan.hpp"

namespace ipvs = lvsctl::director::ipvs;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string vip_of(int i) { return "203.0.113." + std::to_string(1 + i % 200); }
std::uint16_t port_of(int i) { return static_cast<std::uint16_t>(1000 + i / 200); }
std::string real_of(int i, int j) { return "198.51.100." + std::to_string(1 + (i + j * 7) % 250); }

ipvs::Table make_table(int services, int dests) {
  ipvs::Table t;
  t.reserve(static_cast<std::size_t>(services));
  for (int i = 0; i < services; ++i) {
    ipvs::Service s;
    s.key = ipvs::ServiceKey::inet(ipvs::Protocol::Tcp, *lvsctl::IpAddress::parse(vip_of(i)),
                                   port_of(i));
    s.scheduler = "wrr";
    for (int j = 0; j < dests; ++j) {
      ipvs::Destination d;
      d.address = *lvsctl::IpAddress::parse(real_of(i, j));
      d.port = 80;
      d.forwarding = ipvs::Forwarding::DirectRouting;
      d.weight = 1;
      s.destinations.push_back(d);
    }
    t.push_back(std::move(s));
  }
  return t;
}

// Lines in /proc/net/ip_vs beyond its 3 header lines: services + destinations.
long proc_entries() {
  std::ifstream in("/proc/net/ip_vs");
  long lines = 0;
  for (std::string l; std::getline(in, l);) ++lines;
  return lines - 3;
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int services = 1000, dests = 10;
  bool with_ipvsadm = true, with_keepalived = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--services" && i + 1 < argc) services = std::atoi(argv[++i]);
    else if (a == "--dests" && i + 1 < argc) dests = std::atoi(argv[++i]);
    else if (a == "--no-ipvsadm") with_ipvsadm = false;
    else if (a == "--no-keepalived") with_keepalived = false;
    else {
      std::fprintf(stderr, "usage: %s [--services N] [--dests M] [--no-ipvsadm] [--no-keepalived]\n", argv[0]);
      return 2;
    }
  }
  if (services < 1 || services > 40000 || dests < 1 || dests > 100) {
    std::fprintf(stderr, "bench_ipvs_program: --services 1..40000, --dests 1..100\n");
    return 2;
  }
  auto t0 = Clock::now();
  auto client = ipvs::IpvsClient::open();
  if (!client) {
    std::fprintf(stderr, "bench_ipvs_program: %s\n", client.error().message.c_str());
    return 77;
  }
  const double open_s = seconds_since(t0);
  if (auto st = client->flush(); !st) {
    std::fprintf(stderr, "bench_ipvs_program: %s\n", st.error().message.c_str());
    return 1;
  }
  const long expected = static_cast<long>(services) * (1 + dests);
  const ipvs::Table desired = make_table(services, dests);
  std::printf("table: %d services x %d destinations (%ld objects)\n", services, dests, expected);
  std::printf("lvsctl open (socket + family lookup):   %8.3f s\n", open_s);

  // 1. Program from empty: read the kernel (empty), plan, apply.
  t0 = Clock::now();
  auto actual = client->table();
  if (!actual) return std::fprintf(stderr, "%s\n", actual.error().message.c_str()), 1;
  auto ops = ipvs::plan(desired, *actual);
  const double plan_s = seconds_since(t0);
  const std::uint64_t req0 = client->requests_sent();
  auto report = client->apply(ops);
  const double program_s = seconds_since(t0);
  if (!report || !report->ok()) {
    std::fprintf(stderr, "apply failed: %s\n",
                 report ? report->errors.front().message.c_str() : report.error().message.c_str());
    return 1;
  }
  std::printf("lvsctl program from empty:              %8.3f s (%zu ops, %llu requests, read+plan %.3f s), kernel entries %ld/%ld\n",
              program_s, ops.size(), static_cast<unsigned long long>(client->requests_sent() - req0), plan_s,
              proc_entries(), expected);

  // 2. Unchanged reload: dump the kernel table, plan, nothing to apply.
  t0 = Clock::now();
  actual = client->table();
  const double dump_s = seconds_since(t0);
  if (!actual) return std::fprintf(stderr, "%s\n", actual.error().message.c_str()), 1;
  ops = ipvs::plan(desired, *actual);
  const double reload_s = seconds_since(t0);
  std::printf("lvsctl unchanged reload (dump + plan):  %8.3f s (dump %.3f s, %zu ops)\n", reload_s, dump_s, ops.size());
  // 2b. The same as the daemon does it: plan against the table kept from the last apply.
  const ipvs::Table kept = ipvs::table_after(desired, {});
  t0 = Clock::now();
  ops = ipvs::plan(desired, kept);
  std::printf("lvsctl unchanged reload (kept table):   %8.3f s (plan only, %zu ops, 0 requests)\n",
              seconds_since(t0), ops.size());

  // 3. One weight changed.
  ipvs::Table changed = desired;
  changed[changed.size() / 2].destinations[0].weight = 5;
  t0 = Clock::now();
  actual = client->table();
  if (!actual) return 1;
  ops = ipvs::plan(changed, *actual);
  const std::uint64_t req1 = client->requests_sent();
  report = client->apply(ops);
  std::printf("lvsctl one-weight reload:               %8.3f s (%zu ops, %llu edit requests)\n",
              seconds_since(t0), ops.size(), static_cast<unsigned long long>(client->requests_sent() - req1));

  // 4. ipvsadm -R of the same table.
  if (with_ipvsadm && have("ipvsadm")) {
    (void)client->flush();
    const std::string script = "/tmp/bench_ipvs_" + std::to_string(getpid()) + ".rules";
    {
      std::ofstream out(script);
      for (int i = 0; i < services; ++i) {
        const std::string svc = vip_of(i) + ":" + std::to_string(port_of(i));
        out << "-A -t " << svc << " -s wrr\n";
        for (int j = 0; j < dests; ++j) out << "-a -t " << svc << " -r " << real_of(i, j) << ":80 -g -w 1\n";
      }
    }
    t0 = Clock::now();
    const int rc = std::system(("ipvsadm -R < " + script).c_str());
    std::printf("ipvsadm -R:                             %8.3f s (exit %d), kernel entries %ld/%ld\n",
                seconds_since(t0), rc, proc_entries(), expected);
    std::remove(script.c_str());
  }

  // 5. keepalived starting on the same table (checker process only, no checkers configured):
  //    time from exec until every service and destination is in the kernel.
  if (with_keepalived && have("keepalived")) {
    (void)client->flush();
    const std::string dir = "/tmp/bench_ka_" + std::to_string(getpid());
    std::system(("mkdir -p " + dir).c_str());
    {
      std::ofstream out(dir + "/keepalived.conf");
      out << "global_defs {\n  router_id bench\n}\n";
      for (int i = 0; i < services; ++i) {
        out << "virtual_server " << vip_of(i) << " " << port_of(i)
            << " {\n  lvs_sched wrr\n  lvs_method DR\n  protocol TCP\n";
        for (int j = 0; j < dests; ++j) out << "  real_server " << real_of(i, j) << " 80 { weight 1 }\n";
        out << "}\n";
      }
    }
    t0 = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string conf = dir + "/keepalived.conf", p = dir + "/k.pid", c = dir + "/c.pid",
                        r = dir + "/r.pid", b = dir + "/b.pid", log = dir + "/log";
      if (!freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
      execlp("keepalived", "keepalived", "-n", "-C", "-f", conf.c_str(), "-p", p.c_str(), "-c",
             c.c_str(), "-r", r.c_str(), "-b", b.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    long entries = 0;
    while (seconds_since(t0) < 300 && (entries = proc_entries()) < expected) usleep(20 * 1000);
    std::printf("keepalived start until table complete: %8.3f s, kernel entries %ld/%ld\n",
                seconds_since(t0), entries, expected);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  (void)client->flush();
  return 0;
}
