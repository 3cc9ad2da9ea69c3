// probe_floor: the CPU floor of one TCP_CHECK probe, design by design, with no check engine.
//
// Each design probes N listeners (203.0.113.1, .2, ... with 2,000 ports each from 20000, the
// layout of bench_check_tcp) round robin at a steady RATE probes/s for S seconds (after 1 s of
// warm-up), woken on a TICK grid like the engine, and prints the CPU (getrusage user+sys) of the
// probing process per completed probe, the listener process's CPU per probe, the ksoftirqd
// threads' CPU per probe (softirq work charged to nobody we count), the whole machine's busy time
// per probe from /proc/stat (useless on a shared machine) and TCP counters per probe (nstat). On this kernel
// (tick accounting, no IRQ_TIME_ACCOUNTING) softirq work that runs on the way out of a syscall is
// charged to the task that made it; on loopback that includes the listener side's handshake.
//
//   a  socket(NONBLOCK) + connect + epoll writable + SO_LINGER 0 + close (RST)    (today)
//   b  as a, plain close (FIN; the listener child accepts and closes)
//   c  one socket reused: after the connect completes, connect(AF_UNSPEC) (RST) and reconnect
//   d  SYN probe: hand-built SYNs from a reserved port (an ordinary TCP socket bound to it, never
//      listening) sent on a raw IPPROTO_TCP socket bound to the source address, answers read
//      from the same socket with a classic BPF filter (dport == reserved, SYN+ACK or RST) and
//      recvmmsg; our kernel answers the SYN-ACK with RST
//   e  as d, but sent on an IPPROTO_RAW socket (receives nothing) and the answers read from an
//      AF_PACKET SOCK_DGRAM socket (ETH_P_IP, bound to lo) with the same filter: the filter runs
//      before any clone, so other traffic pays only the filter
//   --side: cost added to other loopback TCP traffic (a 1-byte ping-pong and a bulk stream, both
//      ends in this process) by an open raw IPPROTO_TCP socket (unbound / bound to another
//      address) or the AF_PACKET socket, conditions interleaved over 10 rounds (S seconds in all)
//
// Runs in a network namespace of its own (unshare; root): lo up, 203.0.113.x/32 and
// 198.51.100.1/32 (the SYN probe's source) on lo. Nothing outside the namespace is touched.
// Built as build/bench/bench_probe_floor (self-contained: g++ -std=c++20 -O2 works too):
//   bench_probe_floor [--seconds S] [--rate R] [--tick-ms T] [--designs abcde] [--closed K] [N ...]
//   bench_probe_floor --side [--seconds S]
// errNNN: errno counts over the whole run (111 refused, 110 timed out; 1000+ disconnect, 2000+
// sendmmsg, 3000+ socket() failures, e.g. 3024 EMFILE when probes pile up). A growing "in flight"
// means the prober got less CPU than the rate needs (other load on the machine): discard the run.
// --closed K: the last K of the N targets have no listener (they must come out down, refused).
// PROBE_FLOOR_SS=1 in the environment: print the socket states (ss) in the namespace after each run.
// Defaults: 10 s, 10,000 probes/s, 5 ms tick, designs acdeb (b last), N = 2000 10000.
// perf: `perf record -g -o F -- bench_probe_floor --designs a 2000` then
//   `perf report -i F --comms probe_floor --no-children` (the listener child is "pf-listeners").
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr int kPortsPerAddress = 2000;
constexpr int kFirstPort = 20000;
constexpr std::uint16_t kReservedPort = 40000;
const char* const kProbeSource = "198.51.100.1";

using Clock = std::chrono::steady_clock;

std::uint32_t address_of(int i) {
  return htonl((203u << 24) | (0u << 16) | (113u << 8) | static_cast<std::uint32_t>(1 + i / kPortsPerAddress));
}
std::uint16_t port_of(int i) { return static_cast<std::uint16_t>(kFirstPort + i % kPortsPerAddress); }

sockaddr_in sin_of(std::uint32_t addr_be, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = addr_be;
  a.sin_port = htons(port);
  return a;
}

void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

double rusage_cpu(int who) {
  rusage ru{};
  getrusage(who, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// CPU seconds of the ksoftirqd threads: softirq work that escaped the task that raised it.
double ksoftirqd_cpu() {
  double total = 0;
  FILE* ps = ::popen("for p in $(pgrep -x 'ksoftirqd/[0-9]*'); do cat /proc/$p/stat; done", "r");
  if (!ps) return 0;
  char line[1024];
  while (std::fgets(line, sizeof line, ps)) {
    const char* close = std::strrchr(line, ')');
    if (!close) continue;
    std::istringstream in(close + 2);
    std::string field;
    unsigned long long ut = 0, st = 0;
    for (int k = 3; k <= 15 && in >> field; ++k) {
      if (k == 14) ut = std::stoull(field);
      if (k == 15) st = std::stoull(field);
    }
    total += static_cast<double>(ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  ::pclose(ps);
  return total;
}

// Whole-machine busy seconds (all CPUs, everything but idle and iowait) from /proc/stat.
double machine_busy() {
  std::ifstream f("/proc/stat");
  std::string cpu;
  unsigned long long v[10]{};
  f >> cpu;
  for (auto& x : v) f >> x;
  const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  return static_cast<double>(busy) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::map<std::string, long long> nstat_tcp() {
  std::map<std::string, long long> m;
  for (const char* file : {"/proc/net/snmp", "/proc/net/netstat"}) {
    std::ifstream f(file);
    std::string names, values;
    while (std::getline(f, names) && std::getline(f, values)) {
      std::istringstream n(names), v(values);
      std::string prefix, vp, key;
      n >> prefix;
      v >> vp;
      if (prefix != "Tcp:" && prefix != "TcpExt:") continue;
      long long x;
      while (n >> key && v >> x) m[prefix.substr(0, prefix.size() - 1) + key] = x;
    }
  }
  return m;
}

// ---- listeners: a child process that accepts and closes; reports its CPU on request ----
struct Listeners {
  pid_t pid = -1;
  int ask = -1, answer = -1;
  double cpu() const {
    char c = 1;
    double v = 0;
    if (::write(ask, &c, 1) != 1 || ::read(answer, &v, sizeof v) != sizeof v) return -1;
    return v;
  }
  void stop() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(ask);
    ::close(answer);
  }
};

Listeners start_listeners(int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("listener socket");
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = sin_of(address_of(i), port_of(i));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 128) != 0) die("listen");
    fds.push_back(fd);
  }
  int p1[2], p2[2];
  if (::pipe2(p1, O_CLOEXEC) != 0 || ::pipe2(p2, O_CLOEXEC) != 0) die("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_NAME, "pf-listeners");
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int ep = ::epoll_create1(EPOLL_CLOEXEC);
    for (int fd : fds) {
      epoll_event ev{EPOLLIN, {.fd = fd}};
      ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    epoll_event ev{EPOLLIN, {.fd = p1[0]}};
    ::epoll_ctl(ep, EPOLL_CTL_ADD, p1[0], &ev);
    epoll_event evs[256];
    for (;;) {
      int k = ::epoll_wait(ep, evs, 256, -1);
      for (int j = 0; j < k; ++j) {
        const int fd = evs[j].data.fd;
        if (fd == p1[0]) {
          char c;
          if (::read(fd, &c, 1) != 1) _exit(0);
          double v = rusage_cpu(RUSAGE_SELF);
          if (::write(p2[1], &v, sizeof v) != sizeof v) _exit(1);
          continue;
        }
        for (int c; (c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) ::close(c);
      }
    }
  }
  for (int fd : fds) ::close(fd);
  ::close(p1[0]);
  ::close(p2[1]);
  return Listeners{pid, p1[1], p2[0]};
}

// ---- checksums ----
std::uint32_t sum16(const void* data, std::size_t len, std::uint32_t sum = 0) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (; len > 1; p += 2, len -= 2) sum += static_cast<std::uint32_t>(p[0] << 8 | p[1]);
  if (len) sum += static_cast<std::uint32_t>(p[0] << 8);
  return sum;
}
std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// A 24-byte SYN (MSS option) from saddr:sport to daddr:dport, checksum over the IPv4 pseudo-header.
struct Syn {
  tcphdr th;
  std::uint8_t mss[4];
};
void build_syn(Syn& s, std::uint32_t saddr, std::uint32_t daddr, std::uint16_t sport, std::uint16_t dport,
               std::uint32_t seq) {
  std::memset(&s, 0, sizeof s);
  s.th.source = htons(sport);
  s.th.dest = htons(dport);
  s.th.seq = htonl(seq);
  s.th.doff = sizeof(Syn) / 4;
  s.th.syn = 1;
  s.th.window = htons(64240);
  s.mss[0] = 2;
  s.mss[1] = 4;
  s.mss[2] = 0x05;
  s.mss[3] = 0xb4;  // 1460
  std::uint32_t sum = sum16(&saddr, 4);
  sum = sum16(&daddr, 4, sum);
  sum += IPPROTO_TCP + sizeof(Syn);
  s.th.check = htons(fold(sum16(&s, sizeof s, sum)));
}

// Classic BPF over a packet starting at the IPv4 header: accept only TCP to dport == port with
// SYN+ACK or RST set, first fragments only.
std::vector<sock_filter> answer_filter(std::uint16_t port) {
  return {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                     // protocol
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 10),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                     // flags + fragment offset
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 8, 0),
      BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                    // X = IP header length
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                     // TCP dport
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 5),
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),                    // TCP flags
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x04, 2, 0),          // RST
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x12, 0, 1),           // SYN+ACK
      BPF_STMT(BPF_RET | BPF_K, 0xffff),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
}
void attach_filter(int fd, std::uint16_t port) {
  auto f = answer_filter(port);
  sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0) die("SO_ATTACH_FILTER");
}

// ---- the probers ----
struct Counts {
  std::uint64_t up = 0, down = 0, started = 0;
  std::map<int, std::uint64_t> errors;
};

class Prober {
 public:
  virtual ~Prober() = default;
  virtual void start(int target) = 0;       // begin one probe
  virtual void flush() {}                   // end of a batch of starts
  virtual void on_event(std::uint32_t tag) = 0;
  virtual int in_flight() const = 0;
  Counts counts;
};

class ConnectProber : public Prober {
 public:
  enum Mode { Rst, Fin, Reuse };
  ConnectProber(int ep, Mode mode) : ep_(ep), mode_(mode) {}
  ~ConnectProber() override {
    for (int fd : free_) ::close(fd);
    for (std::size_t fd = 0; fd < busy_.size(); ++fd)
      if (busy_[fd]) ::close(static_cast<int>(fd));
  }
  void start(int target) override {
    int fd;
    if (mode_ == Reuse && !free_.empty()) {
      fd = free_.back();
      free_.pop_back();
    } else {
      fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
      if (fd < 0) {  // EMFILE when probes pile up (SYNs dropped and retransmitted): count, go on
        ++counts.errors[3000 + errno];
        return;
      }
      if (mode_ == Reuse) {  // registered once, edge-triggered: every state change reports
        epoll_event ev{EPOLLOUT | EPOLLET, {.u32 = static_cast<std::uint32_t>(fd)}};
        if (::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
      }
    }
    ++counts.started;
    sockaddr_in a = sin_of(address_of(target), port_of(target));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
      ++counts.errors[errno];
      ++counts.down;
      finish(fd);
      return;
    }
    if (static_cast<std::size_t>(fd) >= busy_.size()) busy_.resize(static_cast<std::size_t>(fd) + 1024);
    busy_[static_cast<std::size_t>(fd)] = true;
    ++in_flight_;
    if (mode_ != Reuse) {
      epoll_event ev{EPOLLOUT, {.u32 = static_cast<std::uint32_t>(fd)}};
      if (::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
    }
  }
  void on_event(std::uint32_t tag) override {
    const int fd = static_cast<int>(tag);
    if (static_cast<std::size_t>(fd) >= busy_.size() || !busy_[static_cast<std::size_t>(fd)]) return;  // idle
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    busy_[static_cast<std::size_t>(fd)] = false;
    --in_flight_;
    if (err == 0) {
      ++counts.up;
    } else {
      ++counts.down;
      ++counts.errors[err];
    }
    finish(fd);
  }
  int in_flight() const override { return in_flight_; }

 private:
  void finish(int fd) {
    if (mode_ == Reuse) {
      sockaddr unspec{};
      unspec.sa_family = AF_UNSPEC;
      if (::connect(fd, &unspec, sizeof unspec) != 0) ++counts.errors[1000 + errno];
      free_.push_back(fd);
      return;
    }
    if (mode_ == Rst) {
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(fd);
  }
  int ep_;
  Mode mode_;
  int in_flight_ = 0;
  std::vector<bool> busy_;
  std::vector<int> free_;
};

class SynProber : public Prober {
 public:
  static constexpr int kBatch = 64;
  // packet_rx: answers on an AF_PACKET socket (design e), else on the raw TCP socket (design d).
  SynProber(int ep, int n, bool packet_rx) : targets_(static_cast<std::size_t>(n)) {
    ::inet_pton(AF_INET, kProbeSource, &saddr_);
    // Reserve the source port: bound, never listening, so SYN-ACKs to it find no socket (RST).
    reserve_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in src = sin_of(saddr_, kReservedPort);
    if (::bind(reserve_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) die("bind reserved port");
    sockaddr_in raw_src = sin_of(saddr_, 0);
    if (!packet_rx) {
      tx_ = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
      if (tx_ < 0) die("raw socket");
      attach_filter(tx_, kReservedPort);
      // Bound: the kernel uses this source (the checksum's pseudo-header needs it) and clones only
      // TCP segments addressed to it to this socket.
      if (::bind(tx_, reinterpret_cast<sockaddr*>(&raw_src), sizeof raw_src) != 0) die("bind raw");
      rx_ = tx_;
    } else {
      tx_ = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);  // IP_HDRINCL
      if (tx_ < 0) die("raw socket");
      rx_ = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IP));
      if (rx_ < 0) die("packet socket");
      attach_filter(rx_, kReservedPort);
      sockaddr_ll ll{};
      ll.sll_family = AF_PACKET;
      ll.sll_protocol = htons(ETH_P_IP);
      ll.sll_ifindex = static_cast<int>(if_nametoindex("lo"));
      if (::bind(rx_, reinterpret_cast<sockaddr*>(&ll), sizeof ll) != 0) die("bind packet");
    }
    hdrincl_ = packet_rx;
    const int rcvbuf = 4 << 20;
    ::setsockopt(rx_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    epoll_event ev{EPOLLIN, {.u32 = 0xffffffffu}};
    if (::epoll_ctl(ep, EPOLL_CTL_ADD, rx_, &ev) != 0) die("epoll_ctl raw");
    for (int i = 0; i < kBatch; ++i) {
      rx_iov_[i] = {rx_buf_[i], sizeof rx_buf_[i]};
      rx_msg_[i].msg_hdr.msg_iov = &rx_iov_[i];
      rx_msg_[i].msg_hdr.msg_iovlen = 1;
    }
  }
  ~SynProber() override {
    if (rx_ != tx_) ::close(rx_);
    ::close(tx_);
    ::close(reserve_);
  }
  void start(int target) override {
    auto& t = targets_[static_cast<std::size_t>(target)];
    if (t.pending) {  // a lost answer: the previous probe counts as a timeout
      ++counts.down;
      ++counts.errors[ETIMEDOUT];
      --in_flight_;
    }
    t.pending = true;
    t.seq = (static_cast<std::uint32_t>(target) << 16 | (seq_counter_++ & 0xffff)) ;
    ++counts.started;
    ++in_flight_;
    const int k = queued_++;
    Packet& p = tx_pkt_[k];
    const std::uint32_t daddr = address_of(target);
    build_syn(p.syn, saddr_, daddr, kReservedPort, port_of(target), t.seq);
    if (hdrincl_) {
      std::memset(&p.ip, 0, sizeof p.ip);
      p.ip.ihl = 5;
      p.ip.version = 4;
      p.ip.ttl = 64;
      p.ip.protocol = IPPROTO_TCP;
      p.ip.saddr = saddr_;
      p.ip.daddr = daddr;  // tot_len, id and check are filled in by the kernel
      tx_iov_[k] = {&p.ip, sizeof p.ip + sizeof p.syn};
    } else {
      tx_iov_[k] = {&p.syn, sizeof p.syn};
    }
    tx_addr_[k] = sin_of(daddr, 0);
    tx_msg_[k] = {};
    tx_msg_[k].msg_hdr.msg_name = &tx_addr_[k];
    tx_msg_[k].msg_hdr.msg_namelen = sizeof tx_addr_[k];
    tx_msg_[k].msg_hdr.msg_iov = &tx_iov_[k];
    tx_msg_[k].msg_hdr.msg_iovlen = 1;
    if (queued_ == kBatch) flush();
  }
  void flush() override {
    int done = 0;
    while (done < queued_) {
      int r = ::sendmmsg(tx_, tx_msg_ + done, static_cast<unsigned>(queued_ - done), 0);
      if (r <= 0) {
        ++counts.errors[2000 + errno];
        break;
      }
      done += r;
    }
    queued_ = 0;
    drain();  // on loopback the answers are already queued
  }
  void on_event(std::uint32_t) override { drain(); }
  int in_flight() const override { return in_flight_; }

 private:
  struct Packet {
    iphdr ip;
    Syn syn;
  };
  struct Target {
    std::uint32_t seq = 0;
    bool pending = false;
  };
  void drain() {
    for (;;) {
      int r = ::recvmmsg(rx_, rx_msg_, kBatch, MSG_DONTWAIT, nullptr);
      if (r <= 0) return;
      for (int i = 0; i < r; ++i) handle(rx_buf_[i], rx_msg_[i].msg_len);
      if (r < kBatch) return;
    }
  }
  void handle(const std::uint8_t* p, std::size_t len) {
    if (len < 20) return;
    const std::size_t ihl = static_cast<std::size_t>(p[0] & 0xf) * 4;
    if (len < ihl + 20) return;
    const auto* ip = reinterpret_cast<const iphdr*>(p);
    const auto* th = reinterpret_cast<const tcphdr*>(p + ihl);
    if (ip->daddr != saddr_ || ntohs(th->dest) != kReservedPort) return;
    const std::uint32_t ack = ntohl(th->ack_seq) - 1;
    const std::size_t target = ack >> 16;
    if (target >= targets_.size()) return;
    auto& t = targets_[target];
    const int ti = static_cast<int>(target);
    if (!t.pending || t.seq != ack || ip->saddr != address_of(ti) || ntohs(th->source) != port_of(ti)) return;
    t.pending = false;
    --in_flight_;
    if (th->syn && th->ack) {
      ++counts.up;
    } else {
      ++counts.down;
      ++counts.errors[ECONNREFUSED];
    }
  }
  std::uint32_t saddr_ = 0;
  int reserve_ = -1, tx_ = -1, rx_ = -1;
  bool hdrincl_ = false;
  std::vector<Target> targets_;
  std::uint32_t seq_counter_ = 0;
  int in_flight_ = 0;
  int queued_ = 0;
  Packet tx_pkt_[kBatch];
  sockaddr_in tx_addr_[kBatch];
  iovec tx_iov_[kBatch];
  mmsghdr tx_msg_[kBatch];
  std::uint8_t rx_buf_[kBatch][128];
  iovec rx_iov_[kBatch];
  mmsghdr rx_msg_[kBatch]{};
};

// ---- the paced run ----
void bench(char design, int n, int secs, int rate, int tick_ms, int closed) {
  Listeners listeners = start_listeners(n - closed);  // the last `closed` targets refuse
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  int tfd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  itimerspec its{{0, tick_ms * 1000000L}, {0, tick_ms * 1000000L}};
  ::timerfd_settime(tfd, 0, &its, nullptr);
  epoll_event tev{EPOLLIN, {.u32 = 0xfffffffeu}};
  ::epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);

  Prober* p = nullptr;
  switch (design) {
    case 'a': p = new ConnectProber(ep, ConnectProber::Rst); break;
    case 'b': p = new ConnectProber(ep, ConnectProber::Fin); break;
    case 'c': p = new ConnectProber(ep, ConnectProber::Reuse); break;
    case 'd': p = new SynProber(ep, n, false); break;
    case 'e': p = new SynProber(ep, n, true); break;
    default: std::fprintf(stderr, "unknown design %c\n", design); std::exit(2);
  }
  const auto t_start = Clock::now();
  const auto t_measure = t_start + std::chrono::seconds(1);
  const auto t_end = t_measure + std::chrono::seconds(secs);
  std::uint64_t issued = 0;
  int next_target = 0;
  bool measuring = false;
  double cpu0 = 0, lcpu0 = 0, mbusy0 = 0, ksoft0 = 0;
  Counts c0;
  std::map<std::string, long long> ns0;
  Clock::time_point t0;
  epoll_event evs[512];
  for (;;) {
    const auto now = Clock::now();
    if (!measuring && now >= t_measure) {
      measuring = true;
      t0 = now;
      c0 = p->counts;
      cpu0 = rusage_cpu(RUSAGE_SELF);
      lcpu0 = listeners.cpu();
      mbusy0 = machine_busy();
      ksoft0 = ksoftirqd_cpu();
      ns0 = nstat_tcp();
    }
    if (now >= t_end) break;
    const double elapsed = std::chrono::duration<double>(now - t_start).count();
    const auto due = static_cast<std::uint64_t>(elapsed * rate);
    for (; issued < due; ++issued) {
      p->start(next_target);
      if (++next_target == n) next_target = 0;
    }
    p->flush();
    const int k = ::epoll_wait(ep, evs, 512, 100);
    for (int j = 0; j < k; ++j) {
      if (evs[j].data.u32 == 0xfffffffeu) {
        std::uint64_t x;
        (void)!::read(tfd, &x, sizeof x);
        continue;
      }
      p->on_event(evs[j].data.u32);
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = rusage_cpu(RUSAGE_SELF) - cpu0;
  const double lcpu = listeners.cpu() - lcpu0;
  const double mbusy = machine_busy() - mbusy0;
  const double ksoft = ksoftirqd_cpu() - ksoft0;
  auto ns1 = nstat_tcp();
  const Counts& c = p->counts;
  const double done = static_cast<double>((c.up - c0.up) + (c.down - c0.down));
  std::printf("design %c  N %6d  %7.0f probes/s (up %llu down %llu in flight %d)  prober %5.1f us/probe (%4.1f%% core)"
              "  listener %4.1f  ksoftirqd %4.1f  machine %5.1f us/probe",
              design, n, done / wall, static_cast<unsigned long long>(c.up - c0.up),
              static_cast<unsigned long long>(c.down - c0.down), p->in_flight(), 1e6 * cpu / done,
              100 * cpu / wall, 1e6 * lcpu / done, 1e6 * ksoft / done, 1e6 * mbusy / done);
  auto per_probe = [&](const char* key) { return static_cast<double>(ns1[key] - ns0[key]) / done; };
  std::printf("  per probe: OutSegs %.2f InSegs %.2f OutRsts %.2f ActiveOpens %.2f PassiveOpens %.2f",
              per_probe("TcpOutSegs"), per_probe("TcpInSegs"), per_probe("TcpOutRsts"),
              per_probe("TcpActiveOpens"), per_probe("TcpPassiveOpens"));
  for (const char* key : {"TcpExtEmbryonicRsts", "TcpExtListenDrops", "TcpExtTCPSynRetrans", "TcpRetransSegs"})
    if (long long d = ns1[key] - ns0[key]) std::printf(" %s %.2f", key + 3, static_cast<double>(d) / done);
  for (auto& [e, k] : c.errors) std::printf("  err%d x%llu", e, static_cast<unsigned long long>(k));
  std::printf("\n");
  std::fflush(stdout);
  if (std::getenv("PROBE_FLOOR_SS")) {  // leftover sockets on the listener side after the run
    ::usleep(200000);
    sh("echo '  ss after the run:' $(ss -tanH | awk '{print $1}' | sort | uniq -c)");
  }
  delete p;
  ::close(tfd);
  ::close(ep);
  listeners.stop();
}

// ---- side effect on other loopback TCP traffic ----
// One connected pair on 127.0.0.1, both ends in this process (no scheduler in the figure): 'r' =
// 1-byte ping-pong (write A, read B, write B, read A: two segments per round trip), 's' = 64 KB
// writes on A read back from B. Returns CPU us (getrusage, this process) per round trip / per 64 KB.
double segments_per_op = 0;
double side_run(char mode, double secs) {
  int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = sin_of(htonl(INADDR_LOOPBACK), 5001);
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(lfd, 4) != 0) die("side listen");
  int x = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(x, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("side connect");
  int y = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
  for (int fd : {x, y}) ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  static char buf[1 << 16];
  double ops = 0;
  const long long segs0 = nstat_tcp()["TcpInSegs"];
  const double cpu0 = rusage_cpu(RUSAGE_SELF);
  const auto end = Clock::now() + std::chrono::duration<double>(secs);
  while (Clock::now() < end) {
    for (int i = 0; i < 256; ++i) {
      if (mode == 'r') {
        if (::write(x, buf, 1) != 1 || ::read(y, buf, 1) != 1 || ::write(y, buf, 1) != 1 || ::read(x, buf, 1) != 1)
          die("ping-pong");
      } else {
        if (::write(x, buf, sizeof buf) != static_cast<ssize_t>(sizeof buf)) die("stream write");
        for (std::size_t got = 0; got < sizeof buf;) {
          ssize_t r = ::read(y, buf, sizeof buf - got);
          if (r <= 0) die("stream read");
          got += static_cast<std::size_t>(r);
        }
      }
      ops += 1;
    }
  }
  const double cpu = rusage_cpu(RUSAGE_SELF) - cpu0;
  segments_per_op = static_cast<double>(nstat_tcp()["TcpInSegs"] - segs0) / ops;
  ::close(x);
  ::close(y);
  ::close(lfd);
  return 1e6 * cpu / ops;
}

void side(int secs) {
  const char* names[] = {"no extra socket", "raw IPPROTO_TCP, unbound, BPF",
                         "raw IPPROTO_TCP bound to 198.51.100.1, BPF", "AF_PACKET ETH_P_IP on lo, BPF"};
  constexpr int kConds = 4, kRounds = 10;
  std::vector<double> rr[kConds], st[kConds];
  double rr_segs = 0, st_segs = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (int kind = 0; kind < kConds; ++kind) {
      int fd = -1;
      if (kind == 1 || kind == 2) {
        fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
        attach_filter(fd, kReservedPort);
        if (kind == 2) {
          sockaddr_in s = sin_of(0, 0);
          ::inet_pton(AF_INET, kProbeSource, &s.sin_addr);
          if (::bind(fd, reinterpret_cast<sockaddr*>(&s), sizeof s) != 0) die("bind raw");
        }
      } else if (kind == 3) {
        fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
        attach_filter(fd, kReservedPort);
        sockaddr_ll ll{};
        ll.sll_family = AF_PACKET;
        ll.sll_protocol = htons(ETH_P_IP);
        ll.sll_ifindex = static_cast<int>(if_nametoindex("lo"));
        if (::bind(fd, reinterpret_cast<sockaddr*>(&ll), sizeof ll) != 0) die("bind packet");
      }
      const double t = static_cast<double>(secs) / (2.0 * kRounds * kConds);
      rr[kind].push_back(side_run('r', t));
      rr_segs = segments_per_op;
      st[kind].push_back(side_run('s', t));
      st_segs = segments_per_op;
      if (fd >= 0) ::close(fd);
    }
  }
  std::printf("side  TCP segments received per ping-pong round trip %.2f, per 64 KB streamed %.2f\n", rr_segs, st_segs);
  for (int kind = 0; kind < kConds; ++kind) {
    std::sort(rr[kind].begin(), rr[kind].end());
    std::sort(st[kind].begin(), st[kind].end());
    std::printf("side  %-44s ping-pong CPU us/round trip min %.3f median %.3f   "
                "stream CPU us/64 KB min %.2f median %.2f\n",
                names[kind], rr[kind][0], rr[kind][kRounds / 2], st[kind][0], st[kind][kRounds / 2]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int secs = 10, rate = 10000, tick_ms = 5, closed = 0;
  std::string designs = "acdeb";  // b last: its TIME-WAIT sockets outlive its run
  bool side_mode = false;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) secs = std::atoi(argv[++i]);
    else if (a == "--rate" && i + 1 < argc) rate = std::atoi(argv[++i]);
    else if (a == "--tick-ms" && i + 1 < argc) tick_ms = std::atoi(argv[++i]);
    else if (a == "--designs" && i + 1 < argc) designs = argv[++i];
    else if (a == "--closed" && i + 1 < argc) closed = std::atoi(argv[++i]);
    else if (a == "--side") side_mode = true;
    else if (!a.empty() && a.find_first_not_of("0123456789") == std::string::npos) sizes.push_back(std::atoi(a.c_str()));
    else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--rate R] [--tick-ms T] [--designs abcde] [--closed K] [--side] [N ...]\n", argv[0]);
      return 2;
    }
  }
  if (sizes.empty()) sizes = {2000, 10000};
  if (secs <= 0 || rate <= 0 || tick_ms <= 0 || tick_ms >= 1000) return 2;
  if (::geteuid() != 0 || ::unshare(CLONE_NEWNET) != 0) {
    std::printf("SKIP: probe_floor needs root (it runs in a network namespace of its own)\n");
    return 0;
  }
  int max_n = 0;
  for (int n : sizes) max_n = std::max(max_n, n);
  if (max_n > 250 * kPortsPerAddress) return 2;
  if (sh("ip link set lo up") != 0) return 1;
  for (int k = 0; k <= (max_n - 1) / kPortsPerAddress; ++k) {
    if (sh("ip addr add 203.0.113." + std::to_string(1 + k) + "/32 dev lo") != 0) return 1;
  }
  if (sh(std::string("ip addr add ") + kProbeSource + "/32 dev lo") != 0) return 1;
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  if (side_mode) {
    side(secs);
    return 0;
  }
  for (int n : sizes)
    for (char d : designs) bench(d, n, secs, rate, tick_ms, std::min(closed, n));
  return 0;
}
