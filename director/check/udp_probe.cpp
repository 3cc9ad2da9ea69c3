#include "director/check/udp_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "director/check/udp_reply.hpp"

namespace lvsctl::director::check {

UdpProbe::UdpProbe(EventLoop& loop, const Checker& checker)
    : loop_(loop),
      attempt_(loop),
      spec_(connect_spec(checker.connect, checker.bindto, checker.bind_port)),
      timeout_(checker.connect_timeout) {
  if (const auto* udp = std::get_if<config::UdpCheck>(&checker.spec)) udp_ = *udp;
  // One byte more than the longest acceptable reply, so a longer one is seen as longer.
  buffer_.resize(udp_.max_reply_length + 1U);
}

void UdpProbe::start(Done done) {
  attempt_.begin(std::move(done));
  if (!spec_) return attempt_.fail_soon(spec_.error().message);
  auto fd = start_connect(*spec_, SOCK_DGRAM);
  if (!fd) return attempt_.fail_soon(fd.error().message);
  attempt_.fd = std::move(fd).value();
  if (::send(attempt_.fd.get(), udp_.payload.data(), udp_.payload.size(), 0) < 0) {
    return attempt_.fail_soon("send to " + to_string(spec_->target) + ": " + std::strerror(errno));
  }
  if (auto st = loop_.watch(attempt_.fd.get(), io::kReadable, [this](std::uint32_t) { on_readable(); }); !st) {
    return attempt_.fail_soon(st.error().message);
  }
  attempt_.timer = loop_.after(timeout_, [this] {
    attempt_.timer = 0;
    on_timeout();
  });
}

bool UdpProbe::on_readable() {
  const ssize_t n = ::recv(attempt_.fd.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return false;
    const int err = errno;
    const std::string what = err == ECONNREFUSED ? " (ICMP port unreachable)" : "";
    attempt_.finish(ProbeResult::down("UDP to " + to_string(spec_->target) + ": " + std::strerror(err) + what));
    return true;
  }
  if (!udp_.require_reply) {
    attempt_.finish(ProbeResult::up("reply"));
  } else {
    attempt_.finish(judge_udp_reply(udp_, std::span(buffer_.data(), static_cast<std::size_t>(n))));
  }
  return true;
}

void UdpProbe::on_timeout() {
  // A busy loop may reach this timer before the socket's pending event: ask the socket itself.
  pollfd p{attempt_.fd.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) == 1 && p.revents != 0 && on_readable()) return;
  if (udp_.require_reply) {
    return attempt_.finish(ProbeResult::down("no reply within " + format_seconds(timeout_)));
  }
  attempt_.finish(ProbeResult::up("no ICMP error within " + format_seconds(timeout_)));
}

}  // namespace lvsctl::director::check
