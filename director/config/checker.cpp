#include "director/config/checker.hpp"

namespace lvsctl::director::config {

CheckerDefaults checker_defaults(CheckerKind kind) {
  CheckerDefaults d;
  switch (kind) {
    case CheckerKind::HttpGet:
    case CheckerKind::SslGet:
      d.delay_before_retry = std::chrono::seconds(3);
      break;
    case CheckerKind::Misc:
      d.retry = 0;
      d.connects = false;
      d.retry_style = RetryStyle::WhileUp;
      break;
    case CheckerKind::Udp:
      d.retry_style = RetryStyle::WhileUp;
      break;
    case CheckerKind::Dns:  // check_dns.c: retry 3, delay_before_retry = delay_loop
      d.retry = 3;
      d.retry_style = RetryStyle::WhileUp;
      d.retry_delay_is_delay_loop = true;
      break;
    case CheckerKind::Ping:  // check_ping.c's icmp_epilog: retried while up only
      d.retry_style = RetryStyle::WhileUp;
      break;
    case CheckerKind::Smtp:
      break;
    case CheckerKind::File:  // no connection and no retries: the file's value is known at once
      d.retry = 0;
      d.connects = false;
      break;
    case CheckerKind::Tcp:
      break;
  }
  if (kind == CheckerKind::HttpGet || kind == CheckerKind::SslGet) d.retry_style = RetryStyle::Http;
  return d;
}

const char* to_string(CheckerKind k) {
  switch (k) {
    case CheckerKind::HttpGet: return "HTTP_GET";
    case CheckerKind::SslGet: return "SSL_GET";
    case CheckerKind::Misc: return "MISC_CHECK";
    case CheckerKind::Udp: return "UDP_CHECK";
    case CheckerKind::Dns: return "DNS_CHECK";
    case CheckerKind::Ping: return "PING_CHECK";
    case CheckerKind::Smtp: return "SMTP_CHECK";
    case CheckerKind::File: return "FILE_CHECK";
    case CheckerKind::Tcp: break;
  }
  return "TCP_CHECK";
}

std::string to_string(const Endpoint& e) {
  const std::string ip = e.ip.to_string();
  return (e.ip.is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port);
}

Checker default_checker(CheckerKind kind, Endpoint target) {
  const CheckerDefaults d = checker_defaults(kind);
  Checker c;
  c.kind = kind;
  c.connect = target;
  c.retry = d.retry;
  c.delay_before_retry = d.retry_delay_is_delay_loop ? c.delay_loop : d.delay_before_retry;
  switch (kind) {
    case CheckerKind::HttpGet:
    case CheckerKind::SslGet: {
      HttpCheck h;
      h.tls = kind == CheckerKind::SslGet;
      UrlCheck& root = h.urls.emplace_back();
      root.path = "/";
      root.status_codes.push_back({200, 299});
      c.spec = std::move(h);
      break;
    }
    case CheckerKind::Misc: {
      MiscCheck m;
      m.timeout = c.delay_loop;
      c.spec = std::move(m);
      break;
    }
    case CheckerKind::Udp: c.spec = UdpCheck{}; break;
    case CheckerKind::Dns: c.spec = DnsCheck{}; break;
    case CheckerKind::Ping: c.spec = PingCheck{}; break;
    case CheckerKind::Smtp: c.spec = SmtpCheck{}; break;
    case CheckerKind::File: c.spec = FileCheck{}; break;
    case CheckerKind::Tcp: c.spec = TcpCheck{}; break;
  }
  return c;
}

}  // namespace lvsctl::director::config
