#include "director/check/dns_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "director/check/dns_message.hpp"
#include "shared/random_seed.hpp"

namespace lvsctl::director::check {
namespace {

// Room for any answer's header and question (12 + 255 + 4 octets); the rest of a longer
// datagram is cut off by recv and never looked at.
constexpr std::size_t kAnswerBuffer = 768;
// Datagrams read per readable event: a flood of foreign datagrams cannot hold the loop.
constexpr int kReadsPerEvent = 32;

std::uint16_t next_id(std::uint64_t& state) {  // splitmix64: a new unpredictable id per query
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::uint16_t>(z ^ (z >> 31));
}

}  // namespace

DnsProbe::DnsProbe(EventLoop& loop, const Checker& checker)
    : loop_(loop),
      attempt_(loop),
      spec_(connect_spec(checker.connect, checker.bindto, checker.bind_port)),
      timeout_(checker.connect_timeout),
      id_state_(random_seed()),
      buffer_(kAnswerBuffer) {
  if (const auto* dns = std::get_if<config::DnsCheck>(&checker.spec)) dns_ = *dns;
}

void DnsProbe::start(Done done) {
  attempt_.begin(std::move(done));
  skipped_ = 0;
  if (!spec_) return attempt_.fail_soon(spec_.error().message);
  auto query = encode_dns_query(next_id(id_state_), dns_.name, dns_.type);
  if (!query) return attempt_.fail_soon(query.error().message);
  query_ = std::move(query).value();
  auto fd = start_connect(*spec_, SOCK_DGRAM);
  if (!fd) return attempt_.fail_soon(fd.error().message);
  attempt_.fd = std::move(fd).value();
  const ssize_t sent = ::send(attempt_.fd.get(), query_.data(), query_.size(), 0);
  if (sent < 0) {
    return attempt_.fail_soon("DNS query to " + to_string(spec_->target) + ": " + std::strerror(errno));
  }
  if (static_cast<std::size_t>(sent) != query_.size()) {
    return attempt_.fail_soon("DNS query to " + to_string(spec_->target) + " sent in part");
  }
  if (auto st = loop_.watch(attempt_.fd.get(), io::kReadable, [this](std::uint32_t) { on_readable(); }); !st) {
    return attempt_.fail_soon(st.error().message);
  }
  attempt_.timer = loop_.after(timeout_, [this] {
    attempt_.timer = 0;
    on_timeout();
  });
}

bool DnsProbe::on_readable() {
  for (int i = 0; i < kReadsPerEvent; ++i) {
    const ssize_t n = ::recv(attempt_.fd.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return false;
      const int err = errno;
      const std::string what = err == ECONNREFUSED ? " (ICMP port unreachable)" : "";
      attempt_.finish(ProbeResult::down("DNS to " + to_string(spec_->target) + ": " + std::strerror(err) + what));
      return true;
    }
    const DnsJudgement j = judge_dns_answer(query_, std::span(buffer_.data(), static_cast<std::size_t>(n)));
    switch (j.verdict) {
      case DnsVerdict::NotOurs:
        ++skipped_;
        continue;
      case DnsVerdict::Good:
        attempt_.finish(ProbeResult::up(j.reason));
        return true;
      case DnsVerdict::Bad:
        attempt_.finish(ProbeResult::down(j.reason));
        return true;
    }
  }
  return false;  // more may be queued: the loop calls again (level-triggered)
}

void DnsProbe::on_timeout() {
  // A busy loop may reach this timer before the socket's pending event: ask the socket itself.
  pollfd p{attempt_.fd.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) == 1 && p.revents != 0 && on_readable()) return;
  std::string why = "no DNS answer within " + format_seconds(timeout_);
  if (skipped_ != 0) why += " (" + std::to_string(skipped_) + " datagrams not an answer to the query)";
  attempt_.finish(ProbeResult::down(why));
}

}  // namespace lvsctl::director::check
