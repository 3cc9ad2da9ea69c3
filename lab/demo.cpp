#include "lab/demo.hpp"

#include <fstream>
#include <deque>
#include <thread>

#include "lab/lab.hpp"
#include "lab/launch.hpp"
#include "lab/observe.hpp"

namespace lvsctl::lab {

namespace {

using namespace std::chrono_literals;

struct StepFailed {
  std::string step;
  std::string reason;
};

// The last `n` lines of a file, indented, for a failure report.
std::string tail_of(const std::string& path, std::size_t n) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > n) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += "    " + l + "\n";
  return out;
}

std::string spread_line(const std::array<Sample, kPorts.size()>& samples) {
  std::string out;
  for (std::size_t i = 0; i < kPorts.size(); ++i) {
    out += fmt::format("{}:{} {}", out.empty() ? "" : "; ", kPorts[i], samples[i].text());
  }
  return out;
}

// The "TWO MASTERS ..." line of a `director watch` log, or "".
std::string conflict_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find("TWO MASTERS");
    if (at != std::string::npos) return line.substr(at);
  }
  return "";
}

void run_steps(Lab& lab, const Progress& progress) {
  const Director& d1 = kDirectors[0];
  const Director& d2 = kDirectors[1];
  const RealServer& r2 = kRealServers[1];
  const StateDir& dir = lab.state();

  progress.line("up: building the seed's cluster in network namespaces");
  if (auto st = lab.up(); !st) throw StepFailed{"up", st.error().message};

  // Who is MASTER.
  progress.line(fmt::format("MASTER: d1 (priority {}) holds {}; d2 (priority {}) is {}",
                            d1.priority, kVip, d2.priority, vrrp_state(dir, d2)));

  // Requests to all three ports, spread over both real servers.
  std::array<Sample, kPorts.size()> spread;
  for (std::size_t i = 0; i < kPorts.size(); ++i) {
    spread[i] = sample_vip(kPorts[i], 6, 1s);
    if (spread[i].by_server.size() != kRealServers.size() || spread[i].failed != 0) {
      throw StepFailed{"requests", fmt::format("port {}: {}", kPorts[i], spread[i].text())};
    }
  }
  progress.line(fmt::format("client {} -> {}: {}", kClientAddress, kVip, spread_line(spread)));

  // Split brain: the backup's firewall drops VRRP again.
  const std::string fw(kFirewalled);
  if (auto st = lab.run_in(fw, {lab.program(), "firewall", "revoke-vrrp"}, dir.file("firewall.log"));
      !st) {
    throw StepFailed{"split brain", st.error().message};
  }
  const auto revoked = std::chrono::steady_clock::now();
  progress.line("split brain: `firewall revoke-vrrp` on d2: its firewall drops VRRP again");
  if (!Lab::wait_until([&] {
        return vrrp_state(dir, d1) == "MASTER" && vrrp_state(dir, d2) == "MASTER";
      }, 30s)) {
    throw StepFailed{"split brain", fmt::format("not two masters: d1 {}, d2 {}", vrrp_state(dir, d1),
                                                vrrp_state(dir, d2))};
  }
  progress.line(fmt::format("split brain: d1 MASTER and d2 MASTER ({:.1f} s after the drop)",
                            seconds_since(revoked)));
  const std::string watch_log = dir.file("watch.log");
  auto watch = lab.code_in(std::string(kClient),
                           {lab.program(), "director", "watch", "-i", "eth0", "--count", "6",
                            "--timeout", "15"},
                           watch_log, 30s);
  const std::string flagged = conflict_line(watch_log);
  if (!watch || *watch != 3 || flagged.empty()) {
    throw StepFailed{"split brain", "`director watch` did not flag two masters (exit " +
                                        (watch ? std::to_string(*watch) : watch.error().message) +
                                        ")"};
  }
  progress.line("director watch (exit 3): " + flagged);
  if (auto text = director_status_text(dir, d1); text && reports_conflict(*text)) {
    progress.line("director status on d1: CONFLICT: another master (d2)");
  }

  // Healed by `firewall allow-vrrp`.
  if (auto st = lab.run_in(fw, {lab.program(), "firewall", "allow-vrrp"}, dir.file("firewall.log"));
      !st) {
    throw StepFailed{"heal", st.error().message};
  }
  const auto allowed = std::chrono::steady_clock::now();
  if (!Lab::wait_until([&] {
        return vrrp_state(dir, d1) == "MASTER" && vrrp_state(dir, d2) == "BACKUP";
      }, 30s)) {
    throw StepFailed{"heal", fmt::format("d1 {}, d2 {} 30 s after allow-vrrp", vrrp_state(dir, d1),
                                         vrrp_state(dir, d2))};
  }
  progress.line(fmt::format("healed: `firewall allow-vrrp` on d2: d2 BACKUP after {:.1f} s, d1 the "
                            "only MASTER",
                            seconds_since(allowed)));
  for (std::size_t i = 0; i < kPorts.size(); ++i) {
    if (!Lab::wait_until([&] { return sample_vip(kPorts[i], 4, 1s).by_server.size() == 2; }, 20s)) {
      throw StepFailed{"heal", fmt::format("port {} after healing: {}", kPorts[i],
                                           sample_vip(kPorts[i], 4, 1s).text())};
    }
  }

  // kill -9 of the MASTER.
  const auto master = dir.recorded("d1");
  progress.line(fmt::format("kill -9 of d1's director (pid {}); the client asks :{} every 0.1 s",
                            master ? master->pid : -1, kPorts[0]));
  auto failover = lab.failover(false);
  if (!failover) throw StepFailed{"failover", failover.error().message};
  progress.line(fmt::format("failover: {} MASTER after {:.1f} s; the client's packets go to {} and "
                            "are answered after {:.1f} s; {} of {} requests failed",
                            failover->took_over, failover->master_after, failover->took_over,
                            failover->serving_after, failover->failed, failover->requests));
  if (failover->failed == 0) {
    progress.line("  (kill -9 leaves the VIP and the nftables rules in d1's kernel, as with keepalived: "
                  "d1 kept forwarding until d2's gratuitous ARP)");
  }

  // A real server's service stops: it leaves the table, the client sees only the other.
  const unsigned short port = kPorts[0];
  if (auto st = lab.stop_service(r2, port); !st) throw StepFailed{"service stop", st.error().message};
  const auto stopped = std::chrono::steady_clock::now();
  progress.line(fmt::format("r2's service on :{} stopped (SIGTERM)", port));
  double left_after = 0;
  unsigned failed = 0;
  unsigned only_other = 0;
  while (only_other < 6 && seconds_since(stopped) < 30) {
    auto answer = ask_vip(port, 500ms);
    if (answer && *answer == kRealServers[0].name) {
      if (only_other++ == 0) left_after = seconds_since(stopped);
    } else {
      if (!answer) ++failed;
      only_other = 0;
    }
    std::this_thread::sleep_for(100ms);
  }
  if (only_other < 6) {
    throw StepFailed{"service stop", fmt::format("r2 still chosen for :{} 30 s after it stopped", port)};
  }
  progress.line(fmt::format("r2 left :{} after {:.1f} s ({} requests failed before); the client "
                            "now sees: {}",
                            port, left_after, failed, sample_vip(port, 6, 1s).text()));

  // Restarted: back.
  if (auto st = lab.start_service(r2, port); !st) throw StepFailed{"service restart", st.error().message};
  const auto restarted = std::chrono::steady_clock::now();
  if (!Lab::wait_until([&] {
        auto a = ask_vip(port, 500ms);
        return a && *a == r2.name;
      }, 30s)) {
    throw StepFailed{"service restart", fmt::format("r2 not back on :{} after 30 s", port)};
  }
  progress.line(fmt::format("r2's service on :{} restarted: back after {:.1f} s; the client sees: {}",
                            port, seconds_since(restarted), sample_vip(port, 6, 1s).text()));
}

}  // namespace

int run_demo(const std::string& state_dir) {
  Progress progress;
  Lab lab(state_dir, progress);
  fmt::print("lvsctl lab demo: the seed's two directors and two real servers in network namespaces "
             "{}*, state in {}\n",
             kPrefix, state_dir);
  std::fflush(stdout);
  int rc = 0;
  try {
    run_steps(lab, progress);
  } catch (const StepFailed& f) {
    fmt::print("lab demo: step '{}' FAILED: {}\n", f.step, f.reason);
    for (const char* log : {"d1.log", "d2.log"}) {
      fmt::print("  last lines of {}:\n{}", lab.state().file(log), tail_of(lab.state().file(log), 15));
    }
    std::fflush(stdout);
    rc = 1;
  }
  if (auto st = lab.down(); !st) {
    progress.line("down FAILED: " + st.error().message);
    return 1;
  }
  progress.line("down: the lab's namespaces, processes and state are gone");
  if (rc == 0) progress.line(fmt::format("demo passed in {:.1f} s", progress.elapsed()));
  return rc;
}

}  // namespace lvsctl::lab
