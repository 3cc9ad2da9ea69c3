#include "director/check/udp_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "director/check/udp_reply.hpp"

namespace lvsctl::director::check {

UdpProbe::UdpProbe(EventLoop& loop, const Checker& checker)
    : loop_(loop),
      spec_(connect_spec(checker.connect, checker.bindto, checker.bind_port)),
      timeout_(checker.connect_timeout) {
  if (const auto* udp = std::get_if<config::UdpCheck>(&checker.spec)) udp_ = *udp;
  // One byte more than the longest acceptable reply, so a longer one is seen as longer.
  buffer_.resize(udp_.max_reply_length + 1U);
}

void UdpProbe::start(Done done) {
  finish_io();
  done_ = std::move(done);
  if (!spec_) return fail_soon(spec_.error().message);
  auto fd = start_connect(*spec_, SOCK_DGRAM);
  if (!fd) return fail_soon(fd.error().message);
  fd_ = std::move(fd).value();
  if (::send(fd_.get(), udp_.payload.data(), udp_.payload.size(), 0) < 0) {
    return fail_soon("send to " + to_string(spec_->target) + ": " + std::strerror(errno));
  }
  if (auto st = loop_.watch(fd_.get(), io::kReadable, [this](std::uint32_t) { on_readable(); }); !st) {
    return fail_soon(st.error().message);
  }
  timer_ = loop_.after(timeout_, [this] {
    timer_ = 0;
    on_timeout();
  });
}

bool UdpProbe::on_readable() {
  const ssize_t n = ::recv(fd_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return false;
    const int err = errno;
    const std::string what = err == ECONNREFUSED ? " (ICMP port unreachable)" : "";
    finish(ProbeResult::down("UDP to " + to_string(spec_->target) + ": " + std::strerror(err) + what));
    return true;
  }
  if (!udp_.require_reply) {
    finish(ProbeResult::up("reply"));
  } else {
    finish(judge_udp_reply(udp_, std::span(buffer_.data(), static_cast<std::size_t>(n))));
  }
  return true;
}

void UdpProbe::on_timeout() {
  // A busy loop may reach this timer before the socket's pending event: ask the socket itself.
  pollfd p{fd_.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) == 1 && p.revents != 0 && on_readable()) return;
  if (udp_.require_reply) {
    return finish(ProbeResult::down("no reply within " + format_seconds(timeout_)));
  }
  finish(ProbeResult::up("no ICMP error within " + format_seconds(timeout_)));
}

void UdpProbe::fail_soon(std::string reason) {
  timer_ = loop_.after(Duration::zero(), [this, reason = std::move(reason)] {
    timer_ = 0;
    finish(ProbeResult::down(reason));
  });
}

void UdpProbe::finish_io() {
  if (fd_) {
    loop_.unwatch(fd_.get());
    fd_.reset();
  }
  if (timer_ != 0) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
  }
}

void UdpProbe::finish(ProbeResult result) {
  finish_io();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace lvsctl::director::check
