#include "director/check/smtp_probe.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lvsctl::director::check {

SmtpProbe::SmtpProbe(EventLoop& loop, const Checker& checker)
    : loop_(loop),
      attempt_(loop),
      spec_(connect_spec(checker.connect, checker.bindto, checker.bind_port)),
      timeout_(checker.connect_timeout) {
  if (const auto* smtp = std::get_if<config::SmtpCheck>(&checker.spec)) helo_name_ = smtp->helo_name;
}

void SmtpProbe::start(Done done) {
  attempt_.begin(std::move(done));
  dialogue_.reset();
  pending_.clear();
  if (!spec_) return attempt_.fail_soon(spec_.error().message);
  auto fd = start_connect(*spec_);
  if (!fd) return attempt_.fail_soon(fd.error().message);
  attempt_.fd = std::move(fd).value();
  if (auto st = loop_.watch(attempt_.fd.get(), io::kWritable, [this](std::uint32_t ev) { on_io(ev); }); !st) {
    return attempt_.fail_soon(st.error().message);
  }
  arm("connect");
}

void SmtpProbe::arm(std::string what) {
  if (attempt_.timer != 0) loop_.cancel_timer(attempt_.timer);
  attempt_.timer = loop_.after(timeout_, [this, what = std::move(what)] {
    attempt_.timer = 0;
    // A busy loop may reach this timer before the socket's pending event: ask the socket first,
    // so what did arrive in time is never reported as a timeout.
    pollfd p{attempt_.fd.get(), static_cast<short>(dialogue_ ? POLLIN : POLLOUT), 0};
    if (::poll(&p, 1, 0) == 1 && p.revents != 0) {
      const TimerId before = attempt_.timer;
      on_io((p.revents & POLLIN ? io::kReadable : 0u) | (p.revents & POLLOUT ? io::kWritable : 0u) |
            (p.revents & POLLERR ? io::kError : 0u) | (p.revents & POLLHUP ? io::kHangup : 0u));
      // Still waiting for the same step (the data was not enough): the time is up.
      if (!attempt_.fd || attempt_.timer != before) return;
    }
    fail(what + " timeout after " + format_seconds(timeout_) + (dialogue_ ? from() : ""));
  });
}

void SmtpProbe::on_io(std::uint32_t events) {
  if (!dialogue_) return on_connected(events);
  if (!pending_.empty() && (events & io::kWritable) != 0) send_pending();
  if (attempt_.fd && (events & (io::kReadable | io::kHangup | io::kError)) != 0) on_readable();
}

void SmtpProbe::on_connected(std::uint32_t events) {
  const bool clean = (events & io::kWritable) != 0 && (events & (io::kError | io::kHangup)) == 0;
  const int err = clean ? 0 : connect_error(attempt_.fd.get());
  if (err != 0) return fail("connect to " + to_string(spec_->target) + ": " + std::strerror(err));
  dialogue_.emplace(helo_name_);
  if (auto st = loop_.modify(attempt_.fd.get(), io::kReadable); !st) return fail(st.error().message);
  arm(std::string(dialogue_->awaited()));
}

void SmtpProbe::on_readable() {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(attempt_.fd.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return fail(dialogue_->closed() + from());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      return fail("reading the " + std::string(dialogue_->awaited()) + from() + ": " + std::strerror(errno));
    }
    SmtpDialogue::Step step = dialogue_->receive(std::string_view(buf, static_cast<std::size_t>(n)));
    switch (step.kind) {
      case SmtpDialogue::Step::Kind::Wait: continue;
      case SmtpDialogue::Step::Kind::Up: return attempt_.finish(ProbeResult::up(std::move(step.text)));
      case SmtpDialogue::Step::Kind::Down: return fail(step.text + from());
      case SmtpDialogue::Step::Kind::Send:
        pending_ = std::move(step.text);
        arm(std::string(dialogue_->awaited()));
        send_pending();
        if (!attempt_.fd) return;
        continue;
    }
  }
}

void SmtpProbe::send_pending() {
  while (!pending_.empty()) {
    const ssize_t n = ::send(attempt_.fd.get(), pending_.data(), pending_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return fail(std::string("sending to ") + to_string(spec_->target) + ": " + std::strerror(errno));
    }
    pending_.erase(0, static_cast<std::size_t>(n));
  }
  const std::uint32_t interest = io::kReadable | (pending_.empty() ? 0u : io::kWritable);
  if (auto st = loop_.modify(attempt_.fd.get(), interest); !st) fail(st.error().message);
}

}  // namespace lvsctl::director::check
