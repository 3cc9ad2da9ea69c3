#include "director/check/http_probe.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "director/check/http_exchange.hpp"
#include "director/check/tcp_connect.hpp"

namespace lvsctl::director::check {
namespace {
constexpr std::size_t kMaxResponse = 4 * 1024 * 1024;
}

HttpProbe::HttpProbe(EventLoop& loop, Endpoint target, const Checker& checker,
                     const TlsClientContext* tls)
    : loop_(loop), target_(std::move(target)), checker_(checker), tls_(tls) {
  if (const auto* http = std::get_if<HttpCheck>(&checker.spec)) http_ = *http;
  if (http_.urls.empty()) http_.urls.emplace_back().path = "/";
}

void HttpProbe::start(Done done) {
  close();
  done_ = std::move(done);
  url_ = 0;
  begin_url();
}

void HttpProbe::begin_url() {
  close();
  const UrlCheck& url = http_.urls[url_];
  request_ = build_http_request(url.path, url.virtualhost.value_or(to_string(target_)), http_.http_protocol);
  sent_ = 0;
  response_.clear();
  eof_ = false;
  auto fd = start_connect(target_, checker_.bindto, checker_.bind_port);
  if (!fd) {
    // Report from the loop, never inside start().
    timer_ = loop_.after(Duration::zero(), [this, msg = fd.error().message] {
      timer_ = 0;
      fail(msg);
    });
    return;
  }
  fd_ = std::move(fd).value();
  if (auto st = loop_.watch(fd_.get(), io::kWritable, [this](uint32_t) { on_io(); }); !st) {
    timer_ = loop_.after(Duration::zero(), [this, msg = st.error().message] {
      timer_ = 0;
      fail(msg);
    });
    return;
  }
  enter(Phase::Connecting);
}

void HttpProbe::enter(Phase phase) {
  phase_ = phase;
  if (timer_ != 0) loop_.cancel_timer(timer_);
  timer_ = loop_.after(checker_.connect_timeout, [this] {
    timer_ = 0;
    fail(timeout_reason());
  });
}

std::string HttpProbe::timeout_reason() const {
  const std::string after = " after " + format_seconds(checker_.connect_timeout);
  switch (phase_) {
    case Phase::Connecting: return "connect timeout" + after;
    case Phase::Handshake: return "TLS handshake timeout" + after;
    case Phase::Sending: return "request timeout" + after + " for " + http_.urls[url_].path;
    case Phase::Receiving:
    case Phase::Idle: break;
  }
  return "response timeout" + after + " for " + http_.urls[url_].path;
}

void HttpProbe::wait_for(uint32_t interest) {
  if (auto st = loop_.modify(fd_.get(), interest); !st) fail(st.error().message);
}

void HttpProbe::on_io() {
  if (phase_ == Phase::Connecting) {
    const int err = connect_error(fd_.get());
    if (err != 0) return fail("connect to " + to_string(target_) + ": " + std::strerror(err));
    if (tls_ != nullptr) {
      const auto& vh = http_.urls[url_].virtualhost;
      auto session = TlsSession::attach(*tls_, fd_.get(), http_.enable_sni && vh ? *vh : std::string{});
      if (!session) return fail(session.error().message);
      session_.emplace(std::move(session).value());
      enter(Phase::Handshake);
    } else {
      enter(Phase::Sending);
    }
  }
  drive();
}

void HttpProbe::drive() {
  if (phase_ == Phase::Handshake) {
    auto r = session_->handshake();
    if (r.status == TlsSession::Io::WantRead) return wait_for(io::kReadable);
    if (r.status == TlsSession::Io::WantWrite) return wait_for(io::kWritable);
    if (r.status != TlsSession::Io::Done) return fail(r.error);
    enter(Phase::Sending);
  }
  if (phase_ == Phase::Sending) {
    if (!step_send()) return;
    enter(Phase::Receiving);
    wait_for(io::kReadable);
    if (phase_ != Phase::Receiving) return;  // failed
  }
  if (phase_ == Phase::Receiving) {
    if (!step_receive()) return;
    judge();
  }
}

// Returns true once the whole request is sent; false when waiting (or failed).
bool HttpProbe::step_send() {
  while (sent_ < request_.size()) {
    const char* p = request_.data() + sent_;
    const std::size_t left = request_.size() - sent_;
    if (session_) {
      auto r = session_->write(p, left);
      if (r.status == TlsSession::Io::WantRead) { wait_for(io::kReadable); return false; }
      if (r.status == TlsSession::Io::WantWrite) { wait_for(io::kWritable); return false; }
      if (r.status != TlsSession::Io::Done) { fail("sending request: " + r.error); return false; }
      sent_ += r.bytes;
    } else {
      const ssize_t n = ::send(fd_.get(), p, left, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) { wait_for(io::kWritable); return false; }
        fail(std::string("sending request: ") + std::strerror(errno));
        return false;
      }
      sent_ += static_cast<std::size_t>(n);
    }
  }
  return true;
}

// Returns true when the response is complete (or the server closed); false when waiting/failed.
bool HttpProbe::step_receive() {
  char buf[16384];
  for (;;) {
    if (session_) {
      auto r = session_->read(buf, sizeof buf);
      if (r.status == TlsSession::Io::WantRead) { wait_for(io::kReadable); return false; }
      if (r.status == TlsSession::Io::WantWrite) { wait_for(io::kWritable); return false; }
      if (r.status == TlsSession::Io::Eof) { eof_ = true; return true; }
      if (r.status != TlsSession::Io::Done) { fail("reading response: " + r.error); return false; }
      response_.append(buf, r.bytes);
    } else {
      const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n == 0) { eof_ = true; return true; }
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
          if (http_response_complete(response_)) return true;
          wait_for(io::kReadable);
          return false;
        }
        fail(std::string("reading response: ") + std::strerror(errno));
        return false;
      }
      response_.append(buf, static_cast<std::size_t>(n));
    }
    if (response_.size() > kMaxResponse) {
      fail("response larger than 4 MiB for " + http_.urls[url_].path);
      return false;
    }
    if (session_ && http_response_complete(response_)) return true;
  }
}

void HttpProbe::judge() {
  auto parsed = parse_http_response(response_);
  if (!parsed) return fail(parsed.error().message + " for " + http_.urls[url_].path);
  if (observer_) observer_(*parsed);
  ProbeResult result = judge_http_response(http_.urls[url_], *parsed);
  if (!result.success || url_ + 1 == http_.urls.size()) return finish(std::move(result));
  ++url_;
  begin_url();
}

void HttpProbe::fail(std::string reason) { finish(ProbeResult::down(std::move(reason))); }

void HttpProbe::close() {
  session_.reset();
  if (fd_) {
    loop_.unwatch(fd_.get());
    fd_.reset();
  }
  if (timer_ != 0) {
    loop_.cancel_timer(timer_);
    timer_ = 0;
  }
  phase_ = Phase::Idle;
}

void HttpProbe::finish(ProbeResult result) {
  close();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace lvsctl::director::check
