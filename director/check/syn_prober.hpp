#pragma once
// SynProber: half-open TCP probes ("SYN probes") to IPv4 targets, shared by all SynProbes of one
// CheckEngine. A probe sends a hand-built SYN and waits for the real server's kernel to answer:
// SYN-ACK = open, RST = refused, nothing within the timeout = timed out; the same outcomes as a
// connect(), for about a third of its CPU, and the server's application never accepts.
//
// Per source address: one raw IPPROTO_TCP socket bound to it (answers read with recvmmsg, a
// classic BPF filter drops all but answers to our ports) and a small pool of reserved source
// ports, each held by an ordinary TCP socket bound to it that never listens: our kernel answers
// the SYN-ACK with a RST (the server's half-open connection ends at once) and nothing else can
// take the port. Two probes in flight to the same target use different ports (a second SYN on
// the same 4-tuple would hit the server's half-open connection, not start a new one); the pool
// grows on demand. Each probe's SYN carries a fresh random sequence number, and only an answer
// that acknowledges it counts, so a late answer to an earlier probe is ignored.
//
// SYNs are queued and sent together with sendmmsg just before the loop waits; a SYN is
// retransmitted like the kernel does (1 s, 3 s, 7 s, ... after the first) while the timeout allows.
// A timeout drains the socket first, so an answer that arrived in time is never reported late. ICMP
// errors quoting one of our SYNs (host unreachable after failed ARP, a firewall's REJECT) end the
// probe at once with connect()'s errno, read on a raw ICMP socket per source address. Every outcome
// is reported from the loop, never inside start(). Needs CAP_NET_RAW.
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "director/check/check_config.hpp"
#include "director/check/icmp_error.hpp"
#include "director/check/tcp_segment.hpp"
#include "shared/event_loop.hpp"
#include "shared/fd.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

enum class SynOutcome : std::uint8_t { Open, Refused, TimedOut, Failed };

struct SynReport {
  SynOutcome outcome = SynOutcome::Failed;
  std::string error;  // Failed: what went wrong, ready for a log line ("bind to ...: ...")
  Ipv4 source = 0;    // the source address used; 0 when none could be found
};

struct SynRequest {
  Ipv4 target = 0;
  std::uint16_t port = 0;
  std::optional<Ipv4> source;  // bindto, or a route source found earlier; nullopt: find it now
  Duration timeout{};
};

class SynProber {
 public:
  class Listener {
   public:
    virtual void on_syn_report(const SynReport& report) = 0;

   protected:
    ~Listener() = default;
  };
  using ProbeId = std::uint64_t;  // 0 is never a valid id

  // Fails when no raw socket can be opened (no CAP_NET_RAW) or the system is out of descriptors.
  // The loop must outlive the prober.
  static Result<std::unique_ptr<SynProber>> create(EventLoop& loop);
  ~SynProber();
  SynProber(const SynProber&) = delete;
  SynProber& operator=(const SynProber&) = delete;

  // Starts one probe; `listener` hears its outcome exactly once, from the loop, unless cancelled.
  ProbeId start(const SynRequest& request, Listener& listener);
  // Forgets a probe in flight (no report follows); a no-op for an id that already reported.
  void cancel(ProbeId id);

  std::size_t in_flight() const { return in_flight_; }

 private:
  struct Source;
  struct Batch;
  struct Attempt {
    std::uint32_t generation = 0;
    bool live = false;
    Listener* listener = nullptr;
    Source* source = nullptr;
    Ipv4 target = 0;
    std::uint16_t port = 0;
    std::size_t port_slot = 0;  // index into the source's reserved ports
    std::uint32_t sequence = 0;
    Clock::time_point deadline{};
    Clock::time_point retransmit_at{};
    Duration backoff{};  // from the last retransmission to the next
    Duration timeout{};
    TimerId timer = 0;
  };
  struct Outgoing {
    std::uint32_t attempt;
    std::uint32_t generation;
  };

  explicit SynProber(EventLoop& loop);
  Result<Source*> source_for(Ipv4 address);
  Status reserve_port(Source& source);  // one more reserved port; the filter is updated
  std::uint32_t allocate();
  void arm(std::uint32_t index);
  void flush();
  void flush_source(Source& source);
  // recvmmsg until `fd` has nothing more, each packet to handle(std::span<const std::uint8_t>).
  template <typename Handle>
  void receive_all(int fd, Handle handle);
  void drain(Source& source);
  void drain_icmp(Source& source);
  void on_answer(Source& source, const TcpAnswer& answer);
  void on_icmp_error(Source& source, const IcmpError& error);
  // The attempt waiting for an answer from `target`:`port` on our port `local_port`, or nullopt.
  std::optional<std::uint32_t> waiting(Source& source, Ipv4 target, std::uint16_t port,
                                       std::uint16_t local_port, std::uint32_t sequence) const;
  void on_timer(std::uint32_t index);
  void fail_soon(std::uint32_t index, std::string error, Ipv4 source);
  // Ends attempt `index` (frees its port and timer) and reports to its listener.
  void finish(std::uint32_t index, SynReport report);
  void release(std::uint32_t index);

  EventLoop& loop_;
  std::unique_ptr<Batch> batch_;
  HookId flush_hook_ = 0;
  std::unordered_map<Ipv4, std::unique_ptr<Source>> sources_;
  std::vector<Attempt> attempts_;
  std::vector<std::uint32_t> free_;
  std::size_t in_flight_ = 0;
  std::mt19937 sequence_numbers_;
};

// The source address the kernel picks for a connection to `target` (a UDP connect() and
// getsockname(), no packet sent). Errors: no route ("connect to ...: Network is unreachable").
Result<Ipv4> route_source(Ipv4 target, std::uint16_t port);

}  // namespace lvsctl::director::check
