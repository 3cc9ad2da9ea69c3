// The IPVS client against the real kernel (vm tier: runs inside the Debian 6.1 VM, see
// run-in-vm.sh; elsewhere it skips). ipvsadm is the oracle: the table our client programs must
// read back from `ipvsadm -S -n` exactly as the same table programmed by `ipvsadm -R`.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "director/ipvs/client.hpp"
#include "director/ipvs/plan.hpp"

namespace ipvs = lvsctl::director::ipvs;

namespace {

lvsctl::IpAddress addr(const char* t) { return *lvsctl::IpAddress::parse(t); }

ipvs::Destination dest(const char* a, std::uint16_t port, std::int32_t weight, ipvs::Forwarding fwd) {
  ipvs::Destination d;
  d.address = addr(a);
  d.port = port;
  d.weight = weight;
  d.forwarding = fwd;
  return d;
}

ipvs::Service svc(ipvs::Protocol proto, const char* vip, std::uint16_t port, const char* sched) {
  ipvs::Service s;
  s.key = ipvs::ServiceKey::inet(proto, addr(vip), port);
  s.scheduler = sched;
  return s;
}

// The user's scenario (test addresses) and the other shapes the issue lists: fwmark, NAT with
// weights, wrr/sh/mh with scheduler flags, persistence with granularity, thresholds, tunnel,
// IPv6.
ipvs::Table desired_table() {
  using ipvs::Forwarding;
  using ipvs::Protocol;
  ipvs::Table t;
  for (const int p : {10010, 10020, 10030}) {
    const auto port = static_cast<std::uint16_t>(p);
    auto s = svc(Protocol::Tcp, "203.0.113.100", port, "rr");
    s.flags = ipvs::service_flag::persistent;
    s.timeout = 50;
    s.destinations = {dest("203.0.113.101", port, 1, Forwarding::DirectRouting),
                      dest("203.0.113.102", port, 1, Forwarding::DirectRouting)};
    t.push_back(s);
  }
  ipvs::Service fwm;
  fwm.key = ipvs::ServiceKey::mark(7);
  fwm.scheduler = "wrr";
  fwm.destinations = {dest("198.51.100.11", 0, 3, Forwarding::Nat), dest("198.51.100.12", 0, 1, Forwarding::Nat)};
  t.push_back(fwm);

  auto sh = svc(Protocol::Tcp, "203.0.113.110", 80, "sh");
  sh.flags = ipvs::service_flag::sched1 | ipvs::service_flag::sched2;  // sh-fallback, sh-port
  sh.destinations = {dest("198.51.100.21", 80, 1, Forwarding::DirectRouting),
                     dest("198.51.100.22", 80, 2, Forwarding::DirectRouting)};
  t.push_back(sh);

  auto mh = svc(Protocol::Udp, "203.0.113.111", 53, "mh");
  mh.flags = ipvs::service_flag::sched2;  // mh-port
  mh.destinations = {dest("198.51.100.31", 53, 1, Forwarding::DirectRouting),
                     dest("198.51.100.32", 53, 1, Forwarding::DirectRouting)};
  t.push_back(mh);

  auto lc = svc(Protocol::Tcp, "203.0.113.112", 443, "lc");
  lc.flags = ipvs::service_flag::persistent;
  lc.timeout = 300;
  lc.netmask = 0xffffff00;
  auto tun = dest("198.51.100.41", 443, 1, Forwarding::Tunnel);
  tun.upper_threshold = 100;
  tun.lower_threshold = 10;
  lc.destinations = {tun};
  t.push_back(lc);

  auto v6 = svc(Protocol::Tcp, "2001:db8::100", 80, "wlc");
  v6.destinations = {dest("2001:db8::1", 8080, 5, Forwarding::Nat)};
  t.push_back(v6);
  return t;
}

// The same table as an ipvsadm -R script.
const char* kIpvsadmScript = R"(-A -t 203.0.113.100:10010 -s rr -p 50
-a -t 203.0.113.100:10010 -r 203.0.113.101:10010 -g -w 1
-a -t 203.0.113.100:10010 -r 203.0.113.102:10010 -g -w 1
-A -t 203.0.113.100:10020 -s rr -p 50
-a -t 203.0.113.100:10020 -r 203.0.113.101:10020 -g -w 1
-a -t 203.0.113.100:10020 -r 203.0.113.102:10020 -g -w 1
-A -t 203.0.113.100:10030 -s rr -p 50
-a -t 203.0.113.100:10030 -r 203.0.113.101:10030 -g -w 1
-a -t 203.0.113.100:10030 -r 203.0.113.102:10030 -g -w 1
-A -f 7 -s wrr
-a -f 7 -r 198.51.100.11:0 -m -w 3
-a -f 7 -r 198.51.100.12:0 -m -w 1
-A -t 203.0.113.110:80 -s sh -b sh-fallback,sh-port
-a -t 203.0.113.110:80 -r 198.51.100.21:80 -g -w 1
-a -t 203.0.113.110:80 -r 198.51.100.22:80 -g -w 2
-A -u 203.0.113.111:53 -s mh -b mh-port
-a -u 203.0.113.111:53 -r 198.51.100.31:53 -g -w 1
-a -u 203.0.113.111:53 -r 198.51.100.32:53 -g -w 1
-A -t 203.0.113.112:443 -s lc -p 300 -M 255.255.255.0
-a -t 203.0.113.112:443 -r 198.51.100.41:443 -i -w 1 -x 100 -y 10
-A -t [2001:db8::100]:80 -s wlc
-a -t [2001:db8::100]:80 -r [2001:db8::1]:8080 -m -w 5
)";

struct Command {
  int status = -1;
  std::string output;
};

Command run(const std::string& cmd) {
  Command c;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return c;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) c.output.append(buf.data(), n);
  const int st = pclose(p);
  c.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return c;
}

// ipvsadm -S -n, lines sorted (the kernel lists services in hash order).
std::vector<std::string> saved_table() {
  Command c = run("ipvsadm -S -n");
  EXPECT_EQ(c.status, 0) << c.output;
  std::vector<std::string> lines;
  std::istringstream in(c.output);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class IpvsKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (run in the vm tier)";
    auto c = ipvs::IpvsClient::open();
    if (!c) GTEST_SKIP() << c.error().message;
    if (run("command -v ipvsadm").status != 0) GTEST_SKIP() << "ipvsadm is not installed";
    client_.emplace(std::move(*c));
    ASSERT_TRUE(client_->flush().ok());
  }
  void TearDown() override {
    if (client_) (void)client_->flush();
  }

  // Programs `desired` from the current kernel state via plan + apply.
  ipvs::ApplyReport program(const ipvs::Table& desired, const ipvs::PlanOptions& options = {}) {
    auto actual = client_->table();
    EXPECT_TRUE(actual.ok()) << actual.error().message;
    auto ops = ipvs::plan(desired, actual.ok() ? *actual : ipvs::Table{}, options);
    auto report = client_->apply(ops);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : ipvs::ApplyReport{};
  }

  std::optional<ipvs::IpvsClient> client_;
};

}  // namespace

TEST_F(IpvsKernel, InfoReportsVersionAndTableSize) {
  auto info = client_->info();
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->version_string(), "1.2.1");
  EXPECT_EQ(info->connection_table_size, 4096u);
}

TEST_F(IpvsKernel, TimeoutsRoundTrip) {
  auto before = client_->timeouts();
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->tcp, 900u);  // kernel defaults
  EXPECT_EQ(before->udp, 300u);
  ASSERT_TRUE(client_->set_timeouts({7200, 0, 45}).ok());
  auto after = client_->timeouts();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->tcp, 7200u);
  EXPECT_EQ(after->tcp_fin, before->tcp_fin);  // 0 = unchanged
  EXPECT_EQ(after->udp, 45u);
  EXPECT_NE(run("ipvsadm -L --timeout").output.find("7200 "), std::string::npos);
  ASSERT_TRUE(client_->set_timeouts(*before).ok());
}

TEST_F(IpvsKernel, ProgrammedTableEqualsIpvsadmRestoreOfTheSameTable) {
  auto report = program(desired_table());
  EXPECT_EQ(report.applied, 8u + 14u);  // 8 services, 14 destinations
  const auto ours = saved_table();

  ASSERT_TRUE(client_->flush().ok());
  ASSERT_TRUE(saved_table().empty());
  const std::string script = "/tmp/ipvs_oracle_" + std::to_string(getpid()) + ".rules";
  std::ofstream(script) << kIpvsadmScript;
  Command restore = run("ipvsadm -R < " + script);
  ASSERT_EQ(restore.status, 0) << restore.output;
  const auto theirs = saved_table();

  EXPECT_EQ(joined(ours), joined(theirs));
  EXPECT_EQ(ours.size(), 22u);
  // Spot checks of the text itself.
  EXPECT_NE(joined(ours).find("-A -t 203.0.113.100:10010 -s rr -p 50\n"), std::string::npos) << joined(ours);
  EXPECT_NE(joined(ours).find("-a -f 7 -r 198.51.100.11:0 -m -w 3\n"), std::string::npos) << joined(ours);
}

TEST_F(IpvsKernel, ReadBackEqualsDesiredSoASecondPlanIsEmpty) {
  program(desired_table());
  auto actual = client_->table();
  ASSERT_TRUE(actual.ok()) << actual.error().message;
  EXPECT_EQ(actual->size(), 8u);
  auto again = ipvs::plan(desired_table(), *actual);
  EXPECT_TRUE(again.empty()) << again.front().to_string();
  const std::uint64_t before = client_->requests_sent();
  auto report = client_->apply(again);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(client_->requests_sent(), before);  // nothing to do, nothing sent
}

TEST_F(IpvsKernel, OneWeightChangeIsExactlyOneNetlinkEdit) {
  program(desired_table());
  auto desired = desired_table();
  desired[1].destinations[1].weight = 4;  // 10020 -> .102
  auto actual = client_->table();
  ASSERT_TRUE(actual.ok());
  auto ops = ipvs::plan(desired, *actual);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, ipvs::OpKind::EditDestination);
  const std::uint64_t before = client_->requests_sent();
  auto report = client_->apply(ops);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(client_->requests_sent() - before, 1u);

  const std::string table = joined(saved_table());
  EXPECT_NE(table.find("-a -t 203.0.113.100:10020 -r 203.0.113.102:10020 -g -w 4\n"), std::string::npos) << table;
  EXPECT_NE(table.find("-a -t 203.0.113.100:10010 -r 203.0.113.102:10010 -g -w 1\n"), std::string::npos) << table;
  auto after = client_->table();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(ipvs::plan(desired, *after).empty());
}

TEST_F(IpvsKernel, SchedulerAndPersistenceEditsKeepTheDestinations) {
  program(desired_table());
  auto desired = desired_table();
  desired[0].scheduler = "wlc";
  desired[0].timeout = 120;
  desired[0].netmask = 0xffff0000;
  auto actual = client_->table();
  ASSERT_TRUE(actual.ok());
  auto ops = ipvs::plan(desired, *actual);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, ipvs::OpKind::EditService);
  ASSERT_TRUE(client_->apply(ops[0]).ok());
  const std::string table = joined(saved_table());
  EXPECT_NE(table.find("-A -t 203.0.113.100:10010 -s wlc -p 120 -M 255.255.0.0\n"), std::string::npos) << table;
  EXPECT_NE(table.find("-a -t 203.0.113.100:10010 -r 203.0.113.101:10010 -g -w 1\n"), std::string::npos) << table;
}

TEST_F(IpvsKernel, ForeignServicesSurviveAndOwnedOnesGo) {
  ASSERT_EQ(run("ipvsadm -A -t 198.51.100.200:22 -s rr").status, 0);
  program(desired_table());
  auto desired = desired_table();
  ipvs::PlanOptions options;
  for (const auto& s : desired) options.owned.push_back(s.key);
  desired.pop_back();  // the IPv6 service leaves the config
  program(desired, options);
  const std::string table = joined(saved_table());
  EXPECT_NE(table.find("-A -t 198.51.100.200:22 -s rr"), std::string::npos) << table;
  EXPECT_EQ(table.find("2001:db8::100"), std::string::npos) << table;
  options.flush = true;
  program(desired, options);
  EXPECT_EQ(joined(saved_table()).find("198.51.100.200"), std::string::npos);
}

TEST_F(IpvsKernel, OperationsAreIdempotent) {
  auto s = desired_table()[0];
  ASSERT_TRUE(client_->add_service(s).ok());
  s.scheduler = "wrr";
  ASSERT_TRUE(client_->add_service(s).ok());  // exists: edited
  EXPECT_NE(joined(saved_table()).find("-A -t 203.0.113.100:10010 -s wrr -p 50"), std::string::npos);
  auto d = s.destinations[0];
  ASSERT_TRUE(client_->edit_destination(s.key, d).ok());  // missing: added
  d.weight = 9;
  ASSERT_TRUE(client_->add_destination(s.key, d).ok());   // exists: edited
  EXPECT_NE(joined(saved_table()).find("-r 203.0.113.101:10010 -g -w 9"), std::string::npos);
  ASSERT_TRUE(client_->delete_destination(s.key, d).ok());
  ASSERT_TRUE(client_->delete_destination(s.key, d).ok());  // already gone
  ASSERT_TRUE(client_->delete_service(s.key).ok());
  ASSERT_TRUE(client_->delete_service(s.key).ok());          // already gone
  EXPECT_TRUE(saved_table().empty());
}

TEST_F(IpvsKernel, ErrorsNameTheOperationAndCarryErrno) {
  auto s = desired_table()[0];
  s.scheduler = "nosuch";
  auto st = client_->add_service(s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ENOENT);
  EXPECT_NE(st.error().message.find("add service TCP 203.0.113.100:10010"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("ip_vs_nosuch"), std::string::npos) << st.error().message;

  auto d = desired_table()[0].destinations[0];
  auto missing = client_->add_destination(desired_table()[0].key, d);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ESRCH);

  // In a batch, one bad op does not stop the others.
  std::vector<ipvs::Op> ops = ipvs::plan(desired_table(), {});
  ops.insert(ops.begin() + 1, ipvs::Op{});
  ops[1].kind = ipvs::OpKind::AddService;
  ops[1].service = s;  // the bad scheduler
  auto report = client_->apply(ops);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->applied, ops.size() - 1);
}

TEST_F(IpvsKernel, DestinationsAreRejectedWhileLoIsDownAndTheErrorSaysSo) {
  // A child process in a fresh network namespace (lo down there); the verdict comes back as its
  // exit status.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(10);
    auto c = ipvs::IpvsClient::open();
    if (!c) _exit(11);
    auto s = desired_table()[0];
    if (!c->add_service(s)) _exit(12);
    auto st = c->add_destination(s.key, s.destinations[0]);
    if (st.ok()) _exit(13);
    if (st.error().code != EINVAL) _exit(14);
    if (st.error().message.find("lo is down") == std::string::npos) _exit(15);
    if (system("ip link set lo up") != 0) _exit(16);
    if (!c->add_destination(s.key, s.destinations[0])) _exit(17);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child step failed (see the _exit codes in the test)";
}

TEST_F(IpvsKernel, CountersAreReadBack) {
  program(desired_table());
  auto services = client_->services();
  ASSERT_TRUE(services.ok());
  ASSERT_EQ(services->size(), 8u);
  for (const auto& s : *services) EXPECT_EQ(s.counters.connections, 0u) << s.key.to_string();
  auto dests = client_->destinations(desired_table()[3].key);
  ASSERT_TRUE(dests.ok()) << dests.error().message;
  ASSERT_EQ(dests->size(), 2u);
  EXPECT_EQ(dests->at(0).forwarding, ipvs::Forwarding::Nat);
}

// The same table as keepalived.conf virtual servers (no checkers: real servers count as up).
const char* kKeepalivedConf = R"(global_defs {
  router_id lvsctl_vm_oracle
}
virtual_server 203.0.113.100 10010 {
  lvs_sched rr
  lvs_method DR
  protocol TCP
  persistence_timeout 50
  real_server 203.0.113.101 10010 { weight 1 }
  real_server 203.0.113.102 10010 { weight 1 }
}
virtual_server 203.0.113.100 10020 {
  lvs_sched rr
  lvs_method DR
  protocol TCP
  persistence_timeout 50
  real_server 203.0.113.101 10020 { weight 1 }
  real_server 203.0.113.102 10020 { weight 1 }
}
virtual_server 203.0.113.100 10030 {
  lvs_sched rr
  lvs_method DR
  protocol TCP
  persistence_timeout 50
  real_server 203.0.113.101 10030 { weight 1 }
  real_server 203.0.113.102 10030 { weight 1 }
}
virtual_server fwmark 7 {
  lvs_sched wrr
  lvs_method NAT
  real_server 198.51.100.11 0 { weight 3 }
  real_server 198.51.100.12 0 { weight 1 }
}
virtual_server 203.0.113.110 80 {
  lvs_sched sh
  sh-fallback
  sh-port
  lvs_method DR
  protocol TCP
  real_server 198.51.100.21 80 { weight 1 }
  real_server 198.51.100.22 80 { weight 2 }
}
virtual_server 203.0.113.111 53 {
  lvs_sched mh
  mh-port
  lvs_method DR
  protocol UDP
  real_server 198.51.100.31 53 { weight 1 }
  real_server 198.51.100.32 53 { weight 1 }
}
virtual_server 203.0.113.112 443 {
  lvs_sched lc
  lvs_method TUN
  protocol TCP
  persistence_timeout 300
  persistence_granularity 255.255.255.0
  real_server 198.51.100.41 443 {
    weight 1
    uthreshold 100
    lthreshold 10
  }
}
virtual_server 2001:db8::100 80 {
  lvs_sched wlc
  lvs_method NAT
  protocol TCP
  real_server 2001:db8::1 8080 { weight 5 }
}
)";

TEST_F(IpvsKernel, KeepalivedProgramsTheSameTableFromTheEquivalentConfig) {
  if (run("command -v keepalived").status != 0) GTEST_SKIP() << "keepalived is not installed";
  program(desired_table());
  const auto ours = saved_table();
  ASSERT_TRUE(client_->flush().ok());

  const std::string dir = "/tmp/ka_oracle_" + std::to_string(getpid());
  ASSERT_EQ(run("mkdir -p " + dir).status, 0);
  std::ofstream(dir + "/keepalived.conf") << kKeepalivedConf;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string conf = dir + "/keepalived.conf", p = dir + "/k.pid", c = dir + "/c.pid",
                      r = dir + "/r.pid", b = dir + "/b.pid", log = dir + "/keepalived.log";
    if (!freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
    execlp("keepalived", "keepalived", "-n", "-D", "-C", "-f", conf.c_str(), "-p", p.c_str(),
           "-c", c.c_str(), "-r", r.c_str(), "-b", b.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::vector<std::string> theirs;
  for (int i = 0; i < 600 && theirs.size() < ours.size(); ++i) {  // up to 60 s under TCG
    usleep(100 * 1000);
    theirs = saved_table();
  }
  usleep(500 * 1000);
  theirs = saved_table();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_EQ(joined(ours), joined(theirs)) << run("cat " + dir + "/keepalived.log").output;
}
