#include "director/check/tcp_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cstring>

namespace lvsctl::director::check {

TcpProbe::TcpProbe(EventLoop& loop, Endpoint target, const Checker& checker)
    : loop_(loop),
      spec_(connect_spec(target, checker.bindto, checker.bind_port)),
      timeout_(checker.connect_timeout) {}

void TcpProbe::start(Done done) {
  finish_io();
  done_ = std::move(done);
  if (!spec_) return fail_soon(spec_.error().message);
  auto fd = start_connect(*spec_);
  if (!fd) return fail_soon(fd.error().message);
  fd_ = std::move(fd).value();
  if (auto st = loop_.watch(fd_.get(), io::kWritable, [this](uint32_t events) { on_connected(events); }); !st) {
    return fail_soon(st.error().message);
  }
  timer_ = loop_.after(timeout_, [this] {
    timer_ = 0;
    // A busy loop may reach this timer before the socket's pending writable event: ask the
    // socket itself, so a handshake that did complete in time is never reported as a timeout.
    pollfd p{fd_.get(), POLLOUT, 0};
    if (::poll(&p, 1, 0) == 1) {
      on_connected((p.revents & POLLOUT ? io::kWritable : 0u) | (p.revents & POLLERR ? io::kError : 0u) |
                   (p.revents & POLLHUP ? io::kHangup : 0u));
      return;
    }
    finish(ProbeResult::down("connect timeout after " + format_seconds(timeout_)));
  });
}

void TcpProbe::on_connected(std::uint32_t events) {
  // Writable without error or hangup: the handshake completed, and SO_ERROR need not be read.
  const bool clean = (events & io::kWritable) != 0 && (events & (io::kError | io::kHangup)) == 0;
  const int err = clean ? 0 : connect_error(fd_.get());
  if (err != 0) {
    finish(ProbeResult::down("connect to " + to_string(spec_->target) + ": " + std::strerror(err)));
    return;
  }
  // Close with RST, as HAProxy's checks do: no FIN exchange and no TIME_WAIT left behind
  // for every check (10,000 checks/s would otherwise keep ~600,000 sockets in TIME_WAIT).
  const linger abort_on_close{1, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  finish(ProbeResult::up("connected"));
}

void TcpProbe::fail_soon(std::string reason) {
  // Report from the loop, never inside start().
  timer_ = loop_.after(Duration::zero(), [this, reason = std::move(reason)] {
    timer_ = 0;
    finish(ProbeResult::down(reason));
  });
}

void TcpProbe::finish_io() {
  if (fd_) {
    loop_.unwatch(fd_.get());
    fd_.reset();
  }
  if (timer_ != 0) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
  }
}

void TcpProbe::finish(ProbeResult result) {
  finish_io();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace lvsctl::director::check
