#include "director/check/syn_prober.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "shared/random_seed.hpp"

namespace lvsctl::director::check {
namespace {

constexpr std::size_t kMaxPorts = 64;      // reserved source ports per source address
constexpr std::size_t kReceiveBatch = 64;  // answers per recvmmsg
constexpr std::size_t kAnswerBytes = 128;  // IPv4 header (<= 60) + the TCP header we read
constexpr std::size_t kSendBatch = 1024;   // UIO_MAXIOV: the most one sendmmsg takes
constexpr int kReceiveBuffer = 1 << 20;    // room for a burst of answers (~1,300 packets)
constexpr Duration kFirstRetransmit = std::chrono::seconds(1);  // the kernel's initial SYN RTO

sockaddr_in socket_address(Ipv4 address, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(address);
  a.sin_port = htons(port);
  return a;
}

std::string text(Ipv4 address) {
  const in_addr a{htonl(address)};
  char buf[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}
std::string text(Ipv4 address, std::uint16_t port) {
  return text(address) + ":" + std::to_string(port);
}

std::uint64_t flight_key(Ipv4 target, std::uint16_t port) {
  return std::uint64_t{target} << 16 | port;
}

}  // namespace

// One source address: its raw socket, reserved ports and the probes in flight from it.
struct SynProber::Source {
  Ipv4 address = 0;
  Fd raw;
  Fd icmp;                  // ICMP errors about our SYNs; absent if it could not be opened
  std::vector<Fd> holders;  // one bound, never listening TCP socket per reserved port
  std::vector<std::uint16_t> ports;
  // target -> attempt index + 1 per reserved port (0: free): who waits for an answer on which port
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> flights;
  std::vector<Outgoing> queue;  // SYNs to send before the loop waits
};

// Buffers of one sendmmsg / recvmmsg, reused (the loop is single-threaded).
struct SynProber::Batch {
  std::vector<Outgoing> sending;
  std::vector<std::array<std::uint8_t, kSynLength>> segments;
  std::vector<sockaddr_in> destinations;
  std::vector<iovec> send_iov;
  std::vector<mmsghdr> send_msgs;
  std::array<std::array<std::uint8_t, kAnswerBytes>, kReceiveBatch> answers{};
  std::array<iovec, kReceiveBatch> receive_iov{};
  std::array<mmsghdr, kReceiveBatch> receive_msgs{};
};

Result<Ipv4> route_source(Ipv4 target, std::uint16_t port) {
  Fd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (!fd) return Error::from_errno("socket");
  const sockaddr_in to = socket_address(target, port);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    return Error::from_errno("connect to " + text(target, port));
  }
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    return Error::from_errno("getsockname");
  }
  return Ipv4{ntohl(local.sin_addr.s_addr)};
}

Result<std::unique_ptr<SynProber>> SynProber::create(EventLoop& loop) {
  // The sockets are opened per source address when first needed; find out now whether we may.
  Fd probe{::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP)};
  if (!probe) return Error::from_errno("raw TCP socket");
  return std::unique_ptr<SynProber>(new SynProber(loop));
}

SynProber::SynProber(EventLoop& loop)
    : loop_(loop), batch_(std::make_unique<Batch>()), sequence_numbers_(random_seed()) {
  for (std::size_t i = 0; i < kReceiveBatch; ++i) {
    batch_->receive_iov[i] = {batch_->answers[i].data(), kAnswerBytes};
    batch_->receive_msgs[i].msg_hdr.msg_iov = &batch_->receive_iov[i];
    batch_->receive_msgs[i].msg_hdr.msg_iovlen = 1;
  }
  flush_hook_ = loop_.before_wait([this] { flush(); });
}

SynProber::~SynProber() {
  loop_.cancel_before_wait(flush_hook_);
  for (auto& a : attempts_) {
    if (a.live && a.timer != 0) loop_.cancel_timer(a.timer);
  }
  for (auto& [address, source] : sources_) {
    loop_.unwatch(source->raw.get());
    if (source->icmp) loop_.unwatch(source->icmp.get());
  }
}

Status SynProber::reserve_port(Source& source) {
  Fd holder{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP)};
  if (!holder) return Error::from_errno("socket");
  sockaddr_in a = socket_address(source.address, 0);
  if (::bind(holder.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    return Error::from_errno("bind to " + text(source.address, 0));
  }
  socklen_t len = sizeof a;
  if (::getsockname(holder.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return Error::from_errno("getsockname");
  source.ports.push_back(ntohs(a.sin_port));
  source.holders.push_back(std::move(holder));
  auto attach = [](int fd, std::vector<sock_filter> filter) {
    const sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
    return ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) == 0;
  };
  if (!attach(source.raw.get(), answer_filter(source.ports)) ||
      (source.icmp && !attach(source.icmp.get(), icmp_error_filter(source.ports)))) {
    const Error error = Error::from_errno("attaching the SYN probe filter");
    source.ports.pop_back();
    source.holders.pop_back();
    return error;
  }
  return {};
}

Result<SynProber::Source*> SynProber::source_for(Ipv4 address) {
  if (auto it = sources_.find(address); it != sources_.end()) return it->second.get();
  auto source = std::make_unique<Source>();
  source->address = address;
  source->raw.reset(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!source->raw) return Error::from_errno("raw TCP socket");
  // Without it, unreachable targets time out instead of failing at once: not worth refusing.
  source->icmp.reset(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP));
  // The filters go on before the binds: from a bind on, every TCP segment (ICMP message) to the
  // address reaches the socket, and only answers (errors) about our ports may be queued.
  if (auto st = reserve_port(*source); !st) return st.error();
  const sockaddr_in a = socket_address(address, 0);
  if (::bind(source->raw.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    return Error::from_errno("bind to " + text(address, 0));
  }
  if (source->icmp &&
      ::bind(source->icmp.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    return Error::from_errno("bind to " + text(address, 0));
  }
  if (::setsockopt(source->raw.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBuffer,
                   sizeof kReceiveBuffer) != 0) {
    ::setsockopt(source->raw.get(), SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
  }
  Source* s = source.get();
  if (auto st = loop_.watch(s->raw.get(), io::kReadable, [this, s](std::uint32_t) { drain(*s); });
      !st) {
    return st.error();
  }
  if (s->icmp) {
    if (auto st =
            loop_.watch(s->icmp.get(), io::kReadable, [this, s](std::uint32_t) { drain_icmp(*s); });
        !st) {
      loop_.unwatch(s->raw.get());
      return st.error();
    }
  }
  sources_.emplace(address, std::move(source));
  return s;
}

std::uint32_t SynProber::allocate() {
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(attempts_.size());
    attempts_.emplace_back();
  }
  Attempt& a = attempts_[index];
  ++a.generation;
  a.live = true;
  ++in_flight_;
  return index;
}

SynProber::ProbeId SynProber::start(const SynRequest& request, Listener& listener) {
  const std::uint32_t index = allocate();
  {
    Attempt& a = attempts_[index];
    a.listener = &listener;
    a.source = nullptr;
    a.target = request.target;
    a.port = request.port;
    a.timeout = request.timeout;
    a.timer = 0;
  }
  const ProbeId id = std::uint64_t{attempts_[index].generation} << 32 | index;

  Ipv4 address = 0;
  if (request.source) {
    address = *request.source;
  } else if (auto found = route_source(request.target, request.port); found) {
    address = *found;
  } else {
    fail_soon(index, found.error().message, 0);
    return id;
  }
  auto source = source_for(address);
  if (!source) {
    fail_soon(index, source.error().message, address);
    return id;
  }
  Source& s = **source;
  // A port of the pool with no probe in flight to this target, reserving another if needed.
  std::vector<std::uint32_t>& by_port = s.flights[flight_key(request.target, request.port)];
  by_port.resize(s.ports.size(), 0);
  auto free_port = std::find(by_port.begin(), by_port.end(), 0u);
  if (free_port == by_port.end()) {
    if (s.ports.size() >= kMaxPorts) {
      fail_soon(index,
                "connect to " + text(request.target, request.port) + ": too many probes in flight",
                address);
      return id;
    }
    if (auto st = reserve_port(s); !st) {
      fail_soon(index, st.error().message, address);
      return id;
    }
    by_port.resize(s.ports.size(), 0);
    free_port = by_port.end() - 1;
  }
  *free_port = index + 1;

  Attempt& a = attempts_[index];
  a.source = &s;
  a.port_slot = static_cast<std::size_t>(free_port - by_port.begin());
  a.sequence = static_cast<std::uint32_t>(sequence_numbers_());
  const Clock::time_point now = loop_.now();
  a.deadline = now + request.timeout;
  a.backoff = kFirstRetransmit;
  a.retransmit_at = now + kFirstRetransmit;
  arm(index);
  s.queue.push_back(Outgoing{index, a.generation});
  return id;
}

void SynProber::arm(std::uint32_t index) {
  Attempt& a = attempts_[index];
  const Clock::time_point when = std::min(a.retransmit_at, a.deadline);
  a.timer = loop_.add_timer(when, [this, index] {
    attempts_[index].timer = 0;
    on_timer(index);
  });
}

void SynProber::on_timer(std::uint32_t index) {
  Attempt& a = attempts_[index];
  if (a.retransmit_at < a.deadline) {
    // No answer yet: send the same SYN again, backing off like the kernel (1 s, 2 s, 4 s, ...).
    a.source->queue.push_back(Outgoing{index, a.generation});
    a.backoff *= 2;
    a.retransmit_at += a.backoff;
    arm(index);
    return;
  }
  // The answer may be waiting in the socket behind other events of this round: read it first.
  const std::uint32_t generation = a.generation;
  Source& source = *a.source;
  drain(source);
  drain_icmp(source);
  if (!attempts_[index].live || attempts_[index].generation != generation) return;
  finish(index, SynReport{SynOutcome::TimedOut, {}, 0});
}

void SynProber::fail_soon(std::uint32_t index, std::string error, Ipv4 source) {
  attempts_[index].timer =
      loop_.after(Duration::zero(), [this, index, error = std::move(error), source] {
        attempts_[index].timer = 0;
        finish(index, SynReport{SynOutcome::Failed, error, source});
      });
}

void SynProber::flush() {
  // A report given while sending may start another probe (even from a new source address):
  // send until nothing is queued.
  std::vector<Source*> pending;
  for (;;) {
    pending.clear();
    for (auto& [address, source] : sources_) {
      if (!source->queue.empty()) pending.push_back(source.get());
    }
    if (pending.empty()) return;
    for (Source* source : pending) flush_source(*source);
  }
}

void SynProber::flush_source(Source& source) {
  Batch& b = *batch_;
  b.sending.swap(source.queue);
  source.queue.clear();
  // Drop SYNs of probes that ended (cancelled, answered) since they were queued.
  std::erase_if(b.sending, [this](const Outgoing& o) {
    return !attempts_[o.attempt].live || attempts_[o.attempt].generation != o.generation;
  });
  const std::size_t n = b.sending.size();
  b.segments.resize(n);
  b.destinations.resize(n);
  b.send_iov.resize(n);
  b.send_msgs.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Attempt& a = attempts_[b.sending[i].attempt];
    b.segments[i] = encode_syn(
        SynSegment{source.address, a.target, source.ports[a.port_slot], a.port, a.sequence});
    b.destinations[i] = socket_address(a.target, 0);
    b.send_iov[i] = {b.segments[i].data(), kSynLength};
    b.send_msgs[i] = {};
    b.send_msgs[i].msg_hdr.msg_name = &b.destinations[i];
    b.send_msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    b.send_msgs[i].msg_hdr.msg_iov = &b.send_iov[i];
    b.send_msgs[i].msg_hdr.msg_iovlen = 1;
  }
  struct Failure {
    Outgoing probe;
    int error;
  };
  std::vector<Failure> failed;
  for (std::size_t done = 0; done < n;) {
    const auto count = static_cast<unsigned>(std::min(n - done, kSendBatch));
    const int sent = ::sendmmsg(source.raw.get(), &b.send_msgs[done], count, 0);
    if (sent > 0) {
      done += static_cast<std::size_t>(sent);
      continue;
    }
    const int err = errno;
    if (err == EINTR) continue;
    // A full send buffer loses the rest like a dropped SYN: the retransmission sends them again.
    if (err == EAGAIN || err == ENOBUFS) break;
    // The first message of this call failed (no route, firewall, address gone): that probe fails.
    failed.push_back(Failure{b.sending[done], err});
    ++done;
  }
  for (const Failure& f : failed) {
    const Attempt& a = attempts_[f.probe.attempt];
    if (!a.live || a.generation != f.probe.generation) continue;  // ended by an earlier report
    finish(f.probe.attempt,
           SynReport{SynOutcome::Failed,
                     "connect to " + text(a.target, a.port) + ": " + std::strerror(f.error), 0});
  }
}

template <typename Handle>
void SynProber::receive_all(int fd, Handle handle) {
  Batch& b = *batch_;
  for (;;) {
    const int got = ::recvmmsg(fd, b.receive_msgs.data(), kReceiveBatch, MSG_DONTWAIT, nullptr);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;
    for (std::size_t i = 0; i < static_cast<std::size_t>(got); ++i) {
      const std::size_t len = std::min<std::size_t>(b.receive_msgs[i].msg_len, kAnswerBytes);
      handle(std::span<const std::uint8_t>(b.answers[i].data(), len));
    }
    if (static_cast<std::size_t>(got) < kReceiveBatch) return;
  }
}

void SynProber::drain(Source& source) {
  receive_all(source.raw.get(), [&](std::span<const std::uint8_t> packet) {
    if (auto answer = decode_answer(packet)) on_answer(source, *answer);
  });
}

void SynProber::drain_icmp(Source& source) {
  if (!source.icmp) return;
  receive_all(source.icmp.get(), [&](std::span<const std::uint8_t> packet) {
    if (auto error = decode_icmp_error(packet)) on_icmp_error(source, *error);
  });
}

std::optional<std::uint32_t> SynProber::waiting(Source& source, Ipv4 target, std::uint16_t port,
                                                std::uint16_t local_port,
                                                std::uint32_t sequence) const {
  const auto ours = std::find(source.ports.begin(), source.ports.end(), local_port);
  if (ours == source.ports.end()) return std::nullopt;
  const auto flight = source.flights.find(flight_key(target, port));
  if (flight == source.flights.end()) return std::nullopt;
  const auto slot = static_cast<std::size_t>(ours - source.ports.begin());
  if (slot >= flight->second.size() || flight->second[slot] == 0) return std::nullopt;
  const std::uint32_t index = flight->second[slot] - 1;
  if (attempts_[index].sequence != sequence) return std::nullopt;  // about an earlier probe
  return index;
}

void SynProber::on_answer(Source& source, const TcpAnswer& answer) {
  if (answer.to != source.address) return;
  const auto index =
      waiting(source, answer.from, answer.from_port, answer.to_port, answer.acknowledges);
  if (!index) return;
  finish(
      *index,
      SynReport{answer.kind == AnswerKind::SynAck ? SynOutcome::Open : SynOutcome::Refused, {}, 0});
}

void SynProber::on_icmp_error(Source& source, const IcmpError& error) {
  if (error.source != source.address) return;
  const auto index =
      waiting(source, error.target, error.target_port, error.source_port, error.sequence);
  if (!index) return;
  // connect() reports ICMP port unreachable as "Connection refused" too: keep it one outcome.
  if (error.error == ECONNREFUSED) {
    finish(*index, SynReport{SynOutcome::Refused, {}, 0});
    return;
  }
  finish(*index, SynReport{SynOutcome::Failed,
                           "connect to " + text(error.target, error.target_port) + ": " +
                               std::strerror(error.error),
                           0});
}

void SynProber::release(std::uint32_t index) {
  Attempt& a = attempts_[index];
  if (a.timer != 0) loop_.cancel_timer(a.timer);
  a.timer = 0;
  if (a.source != nullptr) {
    auto flight = a.source->flights.find(flight_key(a.target, a.port));
    if (flight != a.source->flights.end() && a.port_slot < flight->second.size())
      flight->second[a.port_slot] = 0;
  }
  a.source = nullptr;
  a.live = false;
  a.listener = nullptr;
  free_.push_back(index);
  --in_flight_;
}

void SynProber::finish(std::uint32_t index, SynReport report) {
  Attempt& a = attempts_[index];
  if (a.source != nullptr) report.source = a.source->address;
  Listener* listener = a.listener;
  release(index);
  listener->on_syn_report(report);
}

void SynProber::cancel(ProbeId id) {
  const auto index = static_cast<std::uint32_t>(id);
  if (id == 0 || index >= attempts_.size()) return;
  const Attempt& a = attempts_[index];
  if (!a.live || a.generation != static_cast<std::uint32_t>(id >> 32)) return;
  release(index);
}

}  // namespace lvsctl::director::check
