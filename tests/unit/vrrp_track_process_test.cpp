// track_process: keepalived 2.2.7's matching of a process against a vrrp_track_process block,
// the quorum verdict with its delays, what the verdict does to the instance (FAULT, priority),
// the blocks' parser, and the /proc scanner on a made-up /proc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "director/config/load.hpp"
#include "director/daemon/process_match.hpp"
#include "director/daemon/vrrp_mapping.hpp"
#include "director/daemon/vrrp_track_process.hpp"
#include "director/vrrp/tracking.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using config::ParamMatch;
using config::VrrpTrackProcess;
namespace fs = std::filesystem;

std::string_view operator""_sv(const char* s, std::size_t n) { return {s, n}; }

VrrpTrackProcess spec(std::string process, std::vector<std::string> params = {},
                      ParamMatch match = ParamMatch::None, bool full = false) {
  VrrpTrackProcess p;
  p.name = "p";
  p.process = std::move(process);
  p.params = std::move(params);
  p.param_match = match;
  p.full_command = full || !p.params.empty() || match != ParamMatch::None;
  return p;
}

TEST(TrackProcessStat, NameAndState) {
  auto s = parse_process_stat("123 (sleep) S 1 123 123 0 -1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->comm, "sleep");
  EXPECT_FALSE(s->gone);
  s = parse_process_stat("7 (a) b) R 1");  // a name may hold ')': the last one ends it
  ASSERT_TRUE(s);
  EXPECT_EQ(s->comm, "a) b");
  EXPECT_TRUE(parse_process_stat("9 (sleep) Z 1")->gone);  // zombies are not running
  EXPECT_TRUE(parse_process_stat("9 (sleep) X 1")->gone);
  EXPECT_FALSE(parse_process_stat("9 sleep S"));
  EXPECT_FALSE(parse_process_stat("9 (sleep)"));
  EXPECT_FALSE(parse_process_stat(""));
  EXPECT_FALSE(parse_process_stat(")("));
}

TEST(TrackProcessMatch, NameIsExactLikePgrepAnchored) {
  // keepalived.conf(5): "equivalent to pgrep ^ssh$": sshd is not ssh.
  EXPECT_TRUE(process_matches(spec("ssh"), "ssh", ""));
  EXPECT_FALSE(process_matches(spec("ssh"), "sshd", ""));
  EXPECT_FALSE(process_matches(spec("sshd"), "ssh", ""));
  // Without full_command the command line is not looked at.
  EXPECT_FALSE(process_matches(spec("/usr/sbin/sshd"), "sshd", "/usr/sbin/sshd\0-D\0"_sv));
}

TEST(TrackProcessMatch, FullCommandComparesArgv0) {
  const auto full = spec("/usr/sbin/sshd", {}, ParamMatch::None, true);
  EXPECT_TRUE(process_matches(full, "sshd", "/usr/sbin/sshd\0-D\0"_sv));  // params ignored
  EXPECT_TRUE(process_matches(full, "x", "/usr/sbin/sshd\0"_sv));
  EXPECT_FALSE(process_matches(full, "sshd", "sshd\0-D\0"_sv));
  EXPECT_FALSE(process_matches(full, "sshd", ""));  // kernel threads, zombies: no cmdline
}

TEST(TrackProcessMatch, ParamMatchExactPartialInitial) {
  auto ex = spec("nginx", {"-c", "/etc/a.conf"}, ParamMatch::Exact);
  EXPECT_TRUE(process_matches(ex, "", "nginx\0-c\0/etc/a.conf\0"_sv));
  EXPECT_FALSE(process_matches(ex, "", "nginx\0-c\0/etc/a.conf\0-g\0"_sv));
  EXPECT_FALSE(process_matches(ex, "", "nginx\0-c\0/etc/a.conf.bak\0"_sv));
  EXPECT_FALSE(process_matches(ex, "", "nginx\0-c\0"_sv));

  auto partial = spec("nginx", {"-c", "/etc/a.conf"}, ParamMatch::Partial);
  EXPECT_TRUE(process_matches(partial, "", "nginx\0-c\0/etc/a.conf\0-g\0off\0"_sv));
  EXPECT_FALSE(process_matches(partial, "", "nginx\0-c\0/etc/a.conf.bak\0"_sv));  // whole words

  auto initial = spec("nginx", {"-c", "/etc/a"}, ParamMatch::Initial);
  EXPECT_TRUE(process_matches(initial, "", "nginx\0-c\0/etc/a.conf\0"_sv));  // last: a prefix
  EXPECT_TRUE(process_matches(initial, "", "nginx\0-c\0/etc/a\0"_sv));
  EXPECT_FALSE(process_matches(initial, "", "nginx\0-cc\0/etc/a\0"_sv));  // others: whole
  EXPECT_FALSE(process_matches(initial, "", "nginx\0-c\0"_sv));

  // param_match without parameters: the process must have none (exact) / any (partial).
  auto none = spec("nginx", {}, ParamMatch::Exact);
  EXPECT_TRUE(process_matches(none, "", "nginx\0"_sv));
  EXPECT_FALSE(process_matches(none, "", "nginx\0-g\0"_sv));
  EXPECT_TRUE(process_matches(spec("nginx", {}, ParamMatch::Partial), "", "nginx\0-g\0"_sv));
}

TEST(TrackProcessMatch, ReadingCmdlineBytesNeededDecidesExact) {
  auto ex = spec("nginx", {"-c", "/etc/a.conf"}, ParamMatch::Exact);
  const std::string longer("nginx\0-c\0/etc/a.conf\0-g\0daemon off;\0"_sv);
  const std::size_t n = cmdline_bytes_needed(ex);
  EXPECT_EQ(n, 6U + 3U + 12U + 1U);
  // Cut where the scanner cuts it, a longer command line still shows as longer.
  EXPECT_FALSE(process_matches(ex, "", std::string_view(longer).substr(0, n)));
  EXPECT_TRUE(process_matches(ex, "", "nginx\0-c\0/etc/a.conf\0"_sv));
}

using Time = ProcessQuorum::Clock::time_point;
const Time t0 = Time{} + 1h;

TEST(TrackProcessQuorum, RangeAndFirstCountDecidesAtOnce) {
  ProcessQuorum q(2, 3, 0us, 0us);
  EXPECT_FALSE(q.verdict());
  EXPECT_EQ(q.count(1, t0), false);  // the first count always reports
  EXPECT_EQ(q.count(1, t0), std::nullopt);
  EXPECT_EQ(q.count(2, t0), true);
  EXPECT_EQ(q.count(3, t0), std::nullopt);
  EXPECT_EQ(q.count(4, t0), false);  // above quorum_max
  ProcessQuorum none_allowed(0, 0, 0us, 0us);  // quorum_max 0: "must not run"
  EXPECT_EQ(none_allowed.count(0, t0), true);
  EXPECT_EQ(none_allowed.count(1, t0), false);
}

TEST(TrackProcessQuorum, DelaysAndCalledOffChanges) {
  ProcessQuorum q(1, UINT_MAX, 2s, 3s);
  EXPECT_EQ(q.count(1, t0), true);
  EXPECT_EQ(q.count(0, t0 + 1s), std::nullopt);  // terminate_delay 3 s
  EXPECT_EQ(q.due(), t0 + 4s);
  EXPECT_EQ(q.tick(t0 + 3s), std::nullopt);
  EXPECT_EQ(q.count(1, t0 + 3500ms), std::nullopt);  // back in time: never lost
  EXPECT_FALSE(q.due());
  EXPECT_EQ(q.tick(t0 + 10s), std::nullopt);
  EXPECT_EQ(q.count(0, t0 + 11s), std::nullopt);
  EXPECT_EQ(q.count(0, t0 + 12s), std::nullopt);  // the first loss's clock keeps running
  EXPECT_EQ(q.tick(t0 + 14s), false);
  EXPECT_EQ(q.count(1, t0 + 15s), std::nullopt);  // fork_delay 2 s
  EXPECT_EQ(q.tick(t0 + 17s), true);
}

vrrp::InstanceConfig instance(std::vector<vrrp::TrackedProcess> processes, int priority = 100) {
  vrrp::InstanceConfig c;
  c.name = "VI_1";
  c.interface = "eth0";
  c.priority = static_cast<std::uint8_t>(priority);
  c.track_processes = std::move(processes);
  return c;
}

TEST(TrackProcessVerdict, KeepalivedsWeights) {
  vrrp::Tracking t(instance({{"zero", 0, false}}));
  EXPECT_TRUE(t.initialising());  // INIT until the first scan has counted
  t.set_process_quorum("zero", true);
  EXPECT_FALSE(t.initialising());
  EXPECT_FALSE(t.fault());
  t.set_process_quorum("zero", false);
  EXPECT_TRUE(t.fault());  // weight 0: no quorum is FAULT
  ASSERT_NE(t.failed_process(), nullptr);
  EXPECT_EQ(*t.failed_process(), "zero");

  vrrp::Tracking r(instance({{"zero", 0, true}}));  // 'weight 0 reverse': FAULT with quorum
  r.set_process_quorum("zero", true);
  EXPECT_TRUE(r.fault());
  r.set_process_quorum("zero", false);
  EXPECT_FALSE(r.fault());

  vrrp::Tracking w(instance({{"up", 10, false}, {"down", -20, false}}));
  w.set_process_quorum("up", true);
  w.set_process_quorum("down", true);
  EXPECT_EQ(w.effective_priority(), 110);  // +10 with quorum, nothing for the negative one
  w.set_process_quorum("up", false);
  w.set_process_quorum("down", false);
  EXPECT_EQ(w.effective_priority(), 80);  // -20 without quorum
  EXPECT_FALSE(w.fault());

  vrrp::Tracking rev(instance({{"up", 10, true}, {"down", -20, true}}));
  rev.set_process_quorum("up", true);
  rev.set_process_quorum("down", false);
  EXPECT_EQ(rev.effective_priority(), 100 - 10 + 20);  // reverse negates the weight

  vrrp::Tracking owner(instance({{"up", -50, false}}, 255));
  owner.set_process_quorum("up", false);
  EXPECT_EQ(owner.effective_priority(), 255);  // the owner never moves
  vrrp::Tracking clamp(instance({{"a", 254, false}}));
  clamp.set_process_quorum("a", true);
  EXPECT_EQ(clamp.effective_priority(), 254);
}

config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return config::parse_config(text, "t.conf", files);
}
std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}
const std::string kInstanceHead =
    "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
    "    virtual_ipaddress {\n        203.0.113.1\n    }\n";

TEST(TrackProcessConfig, BlocksDefaultsAndInstanceLines) {
  auto p = parse(
      "vrrp_track_process web {\n    process nginx -c \"/etc/a b.conf\"\n"
      "    param_match partial\n    weight -5 reverse\n    quorum 2\n    quorum_max 4\n"
      "    delay 0.5\n    fork_delay 2\n}\n"
      "vrrp_track_process plain {\n    process sshd\n}\n"
      "vrrp_track_process never {\n    process sshd\n    quorum_max 0\n}\n" +
      kInstanceHead + "    track_process {\n        web weight 10\n        plain\n    }\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  ASSERT_EQ(p.config.vrrp_track_processes.size(), 3U);
  const auto& web = p.config.vrrp_track_processes[0];
  EXPECT_EQ(web.process, "nginx");
  EXPECT_EQ(web.params, (std::vector<std::string>{"-c", "/etc/a b.conf"}));
  EXPECT_EQ(web.param_match, ParamMatch::Partial);
  EXPECT_TRUE(web.full_command);
  EXPECT_EQ(web.weight, -5);
  EXPECT_TRUE(web.reverse);
  EXPECT_EQ(web.quorum, 2U);
  EXPECT_EQ(web.quorum_max, 4U);
  EXPECT_EQ(web.terminate_delay, 500ms);
  EXPECT_EQ(web.fork_delay, 2s);
  const auto& plain = p.config.vrrp_track_processes[1];
  EXPECT_EQ(plain.weight, 0);  // keepalived 2.2.7's code: 0 (its man page says 1)
  EXPECT_EQ(plain.quorum, 1U);
  EXPECT_EQ(plain.quorum_max, UINT_MAX);
  EXPECT_FALSE(plain.full_command);
  EXPECT_EQ(p.config.vrrp_track_processes[2].quorum, 0U);
  const auto& vi = p.config.vrrp_instances.at(0);
  ASSERT_EQ(vi.track_processes.size(), 2U);
  EXPECT_EQ(vi.track_processes[0].weight, 10);
  const auto m = vrrp_instance_config(p.config, vi, {});
  ASSERT_EQ(m.track_processes.size(), 2U);
  EXPECT_EQ(m.track_processes[0].weight, 10);
  EXPECT_TRUE(m.track_processes[0].reverse);  // the block's reverse
  EXPECT_EQ(m.track_processes[1].weight, 0);
}

TEST(TrackProcessConfig, ParamsMeanExactUnlessSaid) {
  auto p = parse("vrrp_track_process a {\n    process nginx -g\n}\n");
  ASSERT_EQ(p.config.vrrp_track_processes.size(), 1U);
  EXPECT_EQ(p.config.vrrp_track_processes[0].param_match, ParamMatch::Exact);
  EXPECT_TRUE(p.config.vrrp_track_processes[0].full_command);
  p = parse("vrrp_track_process a {\n    process nginx\n    full_command\n}\n");
  EXPECT_EQ(p.config.vrrp_track_processes[0].param_match, ParamMatch::None);
  EXPECT_TRUE(p.config.vrrp_track_processes[0].full_command);
}

TEST(TrackProcessConfig, SyncGroupMembersTrackTheGroupsProcesses) {
  auto p = parse("vrrp_track_process a {\n    process x\n    weight 5\n}\n" + kInstanceHead +
                 "}\nvrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 2\n"
                 "    virtual_ipaddress {\n        203.0.113.2\n    }\n}\n"
                 "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n"
                 "    track_process {\n        a weight 7\n    }\n}\n");
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  for (const auto& vi : p.config.vrrp_instances) {
    const auto m = vrrp_instance_config(p.config, vi, {});
    ASSERT_EQ(m.track_processes.size(), 1U) << vi.name;
    EXPECT_EQ(m.track_processes[0].weight, 7);
    EXPECT_EQ(tracked_processes(p.config, vi).size(), 1U);
  }
}

TEST(TrackProcessConfig, Errors) {
  auto p = parse("vrrp_track_process a {\n    weight 1\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("t.conf:1:1: error: track process a has no 'process'"));
  p = parse("vrrp_track_process a {\n    process x\n    weight 300\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("t.conf:3:12: error:"));
  p = parse("vrrp_track_process a {\n    process x\n    quorum_max 2\n    quorum 3\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("quorum 3 is greater than quorum_max 2"));
  p = parse("vrrp_track_process a {\n    process x\n    param_match whole\n}\n");
  EXPECT_TRUE(conf::has_errors(p.diags));
  p = parse("vrrp_track_process a {\n    process x\n    delay 0\n}\n");
  EXPECT_TRUE(conf::has_errors(p.diags));
  p = parse("vrrp_track_process a {\n    process a-very-long-process-name\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("never matches"));
  p = parse(kInstanceHead + "    track_process {\n        nosuch\n    }\n}\n");
  EXPECT_THAT(all(p.diags), HasSubstr("t.conf:8:9: error: vrrp_instance VI_1 tracks process "
                                      "'nosuch', but no vrrp_track_process has that name"));
}

// The scanner against a /proc made of plain files: counts, slices, bounded reads.
class FakeProc {
 public:
  FakeProc() : root_(fs::temp_directory_path() / ("lvsctl-fakeproc-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::create_directories(root_ / "self");  // not a pid: skipped
  }
  ~FakeProc() { fs::remove_all(root_); }
  void add(int pid, const std::string& comm, std::string_view cmdline, char state = 'S') {
    const auto d = root_ / std::to_string(pid);
    fs::create_directories(d);
    std::ofstream(d / "stat") << pid << " (" << comm << ") " << state << " 1 1 1 0 -1\n";
    std::ofstream(d / "cmdline", std::ios::binary) << cmdline;
  }
  void remove(int pid) { fs::remove_all(root_ / std::to_string(pid)); }
  std::string path() const { return root_.string(); }

 private:
  fs::path root_;
};

TEST(TrackProcessWatcher, CountsPerPassInSlices) {
  FakeProc proc;
  for (int pid = 100; pid < 100 + 700; ++pid) proc.add(pid, "other", "other\0"_sv);
  proc.add(2000, "lvstrack-a", "lvstrack-a\0"_sv);
  proc.add(2001, "lvstrack-a", "lvstrack-a\0"_sv, 'Z');  // a zombie does not count
  proc.add(2002, "bash", std::string("/bin/sleep\0"_sv) + std::string(100000, 'x'));  // huge
  auto a = spec("lvstrack-a");
  a.name = "a";
  auto two = a;
  two.name = "two";
  two.quorum = 2;
  auto full = spec("/bin/sleep", {}, ParamMatch::None, true);
  full.name = "full";
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok());
  std::vector<std::pair<std::string, bool>> reports;
  TrackProcessWatcher w(**loop, {a, two, full},
                        [&](const std::string& n, bool q) { reports.emplace_back(n, q); },
                        proc.path());
  w.start();
  const auto run_until = [&](std::size_t n) {
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (reports.size() < n && std::chrono::steady_clock::now() < end) {
      ASSERT_TRUE((*loop)->run_once(20ms).ok());
    }
  };
  run_until(3);
  ASSERT_EQ(reports.size(), 3U);  // 700+ entries take several slices; one report each
  EXPECT_EQ(reports[0], std::make_pair(std::string("a"), true));
  EXPECT_EQ(reports[1], std::make_pair(std::string("two"), false));  // the zombie is not 2nd
  EXPECT_EQ(reports[2], std::make_pair(std::string("full"), true));
  proc.add(2003, "lvstrack-a", "lvstrack-a\0"_sv);
  run_until(4);
  ASSERT_EQ(reports.size(), 4U);
  EXPECT_EQ(reports[3], std::make_pair(std::string("two"), true));
  proc.remove(2000);
  proc.remove(2003);
  run_until(6);
  ASSERT_EQ(reports.size(), 6U);
  EXPECT_EQ(reports[4], std::make_pair(std::string("a"), false));
  EXPECT_EQ(reports[5], std::make_pair(std::string("two"), false));
  w.stop();
}

TEST(TrackProcessWatcher, MissingProcCountsNothing) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok());
  std::vector<std::pair<std::string, bool>> reports;
  auto a = spec("x");
  TrackProcessWatcher w(**loop, {a}, [&](const std::string& n, bool q) { reports.emplace_back(n, q); },
                        "/nonexistent-lvsctl-proc");
  w.start();
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_FALSE(reports[0].second);
}

}  // namespace
}  // namespace lvsctl::director
