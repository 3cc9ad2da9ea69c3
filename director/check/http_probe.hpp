#pragma once
// HTTP_GET and SSL_GET: for each url block in order, connect (TLS with optional SNI for SSL_GET),
// send "GET path" with the virtualhost as Host, read the response and judge it (status_code
// ranges and/or MD5 digest). All urls must pass. connect_timeout bounds every phase (connect,
// handshake, request, response): a server that accepts and never answers fails after it, and
// never delays other checks. Deviation from keepalived: all urls are checked in one attempt.
#include <functional>
#include <optional>
#include <string>

#include "director/check/http_exchange.hpp"
#include "director/check/probe.hpp"
#include "director/check/tls_client.hpp"
#include "shared/fd.hpp"

namespace lvsctl::director::check {

class HttpProbe final : public Probe {
 public:
  // `tls` non-null makes this an SSL_GET probe; it must outlive the probe.
  HttpProbe(EventLoop& loop, Endpoint target, const Checker& checker, const TlsClientContext* tls);
  ~HttpProbe() override { close(); }
  void start(Done done) override;
  // Sees every parsed response before it is judged (`lvsctl director genhash` prints its digest).
  void observe(std::function<void(const HttpResponse&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  enum class Phase { Idle, Connecting, Handshake, Sending, Receiving };

  void begin_url();
  void on_io();
  void drive();  // advances the current phase as far as it can without blocking
  bool step_send();
  bool step_receive();
  void judge();
  void wait_for(uint32_t interest);
  void enter(Phase phase);
  void fail(std::string reason);
  void finish(ProbeResult result);
  void close();
  std::string timeout_reason() const;

  EventLoop& loop_;
  Endpoint target_;
  Checker checker_;
  HttpCheck http_;  // checker_'s HTTP settings, at least one url
  const TlsClientContext* tls_;
  Phase phase_ = Phase::Idle;
  std::size_t url_ = 0;
  Fd fd_;
  std::optional<TlsSession> session_;
  std::string request_;
  std::size_t sent_ = 0;
  std::string response_;
  bool eof_ = false;
  TimerId timer_ = 0;
  Done done_;
  std::function<void(const HttpResponse&)> observer_;
};

}  // namespace lvsctl::director::check
