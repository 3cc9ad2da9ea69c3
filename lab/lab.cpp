#include "lab/lab.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "lab/launch.hpp"
#include "lab/leftovers.hpp"
#include "lab/observe.hpp"

namespace lvsctl::lab {

using namespace std::chrono_literals;

const Director* find_director(std::string_view name) {
  for (const auto& d : kDirectors) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Lab::Lab(std::string state_dir, const Progress& progress)
    : dir_(std::move(state_dir)), progress_(progress) {
  auto self = self_program();
  self_ = self ? *self : "lvsctl";
}

bool Lab::wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

Result<int> Lab::code_in(const std::string& short_ns, std::vector<std::string> argv,
                         const std::string& log, std::chrono::milliseconds timeout) {
  auto prefix = in_namespace(ns_name(short_ns));
  if (!prefix) return prefix.error();
  prefix->insert(prefix->end(), argv.begin(), argv.end());
  return run_for_code(*prefix, log, timeout);
}

Status Lab::run_in(const std::string& short_ns, std::vector<std::string> argv,
                   const std::string& log, std::chrono::milliseconds timeout) {
  auto prefix = in_namespace(ns_name(short_ns));
  if (!prefix) return prefix.error();
  prefix->insert(prefix->end(), argv.begin(), argv.end());
  return run_logged(*prefix, log, timeout);
}

Status Lab::start_service(const RealServer& rs, unsigned short port) {
  const std::string name = service_name(rs.name, port);
  auto argv = in_namespace(ns_name(rs.name));
  if (!argv) return argv.error();
  argv->insert(argv->end(), {self_, "lab", "serve", "--name", std::string(rs.name), "--port",
                             std::to_string(port)});
  auto pid = spawn_logged(*argv, dir_.file(name + ".log"));
  if (!pid) return pid.error();
  if (auto st = dir_.record(name, *pid); !st) return st;
  return {};
}

Status Lab::stop_service(const RealServer& rs, unsigned short port) {
  const std::string name = service_name(rs.name, port);
  auto id = dir_.recorded(name);
  if (!id || !is_running(*id)) return Error{"service " + name + " is not running"};
  stop_process(*id, 2s);
  if (is_running(*id)) return Error{"service " + name + " did not stop"};
  return {};
}

Status Lab::start_director(const Director& d) {
  const std::string name(d.name);
  auto argv = in_namespace(ns_name(name));
  if (!argv) return argv.error();
  argv->insert(argv->end(), {self_, "director", "run", "-f", dir_.file(name + ".conf"),
                             "--run-dir", dir_.file(name)});
  auto pid = spawn_logged(*argv, dir_.file(name + ".log"));
  if (!pid) return pid.error();
  return dir_.record(name, *pid);
}

std::string Lab::datapath_line() const {
  std::ifstream in(dir_.file("d1.log"));
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find("Datapath: ");
    if (at != std::string::npos) return line.substr(at + 10);
  }
  return "";
}

Result<std::string> Lab::ip_output(std::vector<std::string> args) {
  const std::string out = dir_.file("ip-output.tmp");
  ::unlink(out.c_str());
  args.insert(args.begin(), "ip");
  if (auto st = run_logged(args, out, 10s); !st) return st.error();
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ::unlink(out.c_str());
  return text;
}

namespace {
// The token after `key` in `text` ("lladdr 02:..", "link/ether 02:.."), or "".
std::string word_after(const std::string& text, const std::string& key) {
  std::istringstream words(text);
  std::string w;
  while (words >> w) {
    if (w == key && (words >> w)) return w;
  }
  return "";
}
}  // namespace

std::string Lab::interface_mac(const std::string& short_ns, const std::string& ifname) {
  auto text = ip_output({"-n", ns_name(short_ns), "link", "show", "dev", ifname});
  return text ? word_after(*text, "link/ether") : "";
}

std::string Lab::client_mac_for(const std::string& address) {
  auto text = ip_output({"-n", ns_name(kClient), "neigh", "show", address});
  return text ? word_after(*text, "lladdr") : "";
}

Status Lab::down() {
  // 1. What the state dir says we started, gently (a director removes its nftables table and
  //    VIPs on SIGTERM).
  if (dir_.is_ours()) {
    for (const auto& [name, id] : dir_.all_recorded()) stop_process(id, 3s);
  }
  // 2. Whatever still runs inside a lab namespace (a crashed `up` may not have recorded it),
  //    then the namespaces themselves: their interfaces, addresses, routes and rules go too.
  std::string failures;
  for (const auto& ns : lab_namespaces()) {
    for (const auto& id : processes_in(ns)) stop_process(id, 1s);
    if (auto st = run_logged({"ip", "netns", "delete", ns}, "/dev/null", 10s); !st) {
      failures += (failures.empty() ? "" : "; ") + st.error().message;
    }
  }
  if (auto st = dir_.remove(); !st) return st;
  if (!failures.empty()) return Error{failures};
  if (auto left = lab_namespaces(); !left.empty()) {
    return Error{"namespaces still present: " + left.front()};
  }
  return {};
}

Status Lab::status() {
  if (!dir_.is_ours()) return Error{"no lab in " + dir_.path() + " (run `lvsctl lab up`)"};
  bool complete = true;
  for (const auto& d : kDirectors) {
    const std::string name(d.name);
    auto id = dir_.recorded(name);
    const bool up = id && is_running(*id);
    auto text = director_status_text(dir_, d);
    fmt::print("director {} ({}, priority {}): {}\n", name, d.front, d.priority,
               up ? fmt::format("pid {}", id->pid) : std::string("not running"));
    if (text) {
      std::istringstream lines(*text);
      std::string line;
      while (std::getline(lines, line)) fmt::print("  {}\n", line);
    } else {
      complete = false;
      fmt::print("  no answer: {}\n", text.error().message);
    }
  }
  for (const auto& rs : kRealServers) {
    std::string services;
    for (unsigned short port : kPorts) {
      auto id = dir_.recorded(service_name(rs.name, port));
      const bool up = id && is_running(*id);
      if (!up) complete = false;
      services += fmt::format(" :{} {}", port, up ? fmt::format("pid {}", id->pid) : "stopped");
    }
    fmt::print("real server {} ({}):{}\n", rs.name, rs.address, services);
  }
  std::string seen;
  for (unsigned short port : kPorts) {
    const Sample s = sample_vip(port, 4, 1s);
    if (s.by_server.empty()) complete = false;
    seen += fmt::format("{}:{} {}", seen.empty() ? "" : "; ", port, s.text());
  }
  fmt::print("client {} -> {}: {}\n", kClientAddress, kVip, seen);
  std::fflush(stdout);
  if (!complete) return Error{"the lab is incomplete (see above)"};
  return {};
}

Result<Lab::FailoverResult> Lab::failover(bool restart) {
  const Director* master = nullptr;
  const Director* other = nullptr;
  for (const auto& d : kDirectors) {
    if (vrrp_state(dir_, d) == "MASTER") master = &d;
  }
  if (!master) return Error{"no director is MASTER"};
  for (const auto& d : kDirectors) {
    if (&d != master) other = &d;
  }
  auto id = dir_.recorded(std::string(master->name));
  if (!id || !is_running(*id)) return Error{"the MASTER's daemon is not running"};

  const std::string new_mac = interface_mac(std::string(other->name), "eth0");
  FailoverResult r;
  r.killed = master->name;
  r.took_over = other->name;
  const auto killed_at = std::chrono::steady_clock::now();
  if (!signal_process(*id, SIGKILL)) return Error{"cannot kill " + r.killed};
  // The client keeps asking (every ~100 ms, 300 ms timeout) until the other director is MASTER,
  // the client's neighbour entry for the VIP is its MAC (its gratuitous ARP arrived), and three
  // requests in a row were answered after that. Until then the killed daemon's VIP and rules
  // stay in the old master's kernel (kill -9 leaves them, as with keepalived) and may still serve.
  bool is_master = false;
  unsigned in_a_row = 0;
  const auto deadline = killed_at + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!is_master && vrrp_state(dir_, *other) == "MASTER") {
      is_master = true;
      r.master_after = seconds_since(killed_at);
    }
    const bool to_new = is_master && !new_mac.empty() && client_mac_for(std::string(kVip)) == new_mac;
    const auto asked = std::chrono::steady_clock::now();
    auto answer = ask_vip(kPorts[0], 300ms);
    ++r.requests;
    if (answer) {
      if (to_new && ++in_a_row == 1) r.serving_after = seconds_since(killed_at);
      if (to_new && in_a_row >= 3) break;
    } else {
      ++r.failed;
      in_a_row = 0;
    }
    const auto spent = std::chrono::steady_clock::now() - asked;
    if (spent < 100ms) std::this_thread::sleep_for(100ms - spent);
  }
  reap_if_child(id->pid);
  if (!is_master || in_a_row < 3) {
    return Error{fmt::format("{} did not take over within 30 s (state {}, {} of {} requests failed)",
                             r.took_over, vrrp_state(dir_, *other), r.failed, r.requests)};
  }
  if (restart) {
    if (auto st = start_director(*master); !st) return st.error();
    if (!wait_until([&] { return vrrp_state(dir_, *master) != "down"; }, 20s)) {
      return Error{"the restarted " + r.killed + " does not answer"};
    }
  }
  return r;
}

}  // namespace lvsctl::lab
