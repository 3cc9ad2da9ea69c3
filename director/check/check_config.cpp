#include "director/check/check_config.hpp"

namespace lvsctl::director::check {

const char* to_string(CheckerKind kind) {
  switch (kind) {
    case CheckerKind::Tcp: return "TCP_CHECK";
    case CheckerKind::HttpGet: return "HTTP_GET";
    case CheckerKind::SslGet: return "SSL_GET";
    case CheckerKind::Misc: return "MISC_CHECK";
  }
  return "?";
}

std::string to_string(const Endpoint& e) {
  const bool v6 = e.ip.find(':') != std::string::npos;
  return (v6 ? "[" + e.ip + "]" : e.ip) + ":" + std::to_string(e.port);
}

CheckerConfig default_checker(CheckerKind kind) {
  CheckerConfig c;
  c.kind = kind;
  switch (kind) {
    case CheckerKind::HttpGet:
    case CheckerKind::SslGet:
      c.delay_before_retry = std::chrono::seconds(3);
      c.urls.push_back(UrlSpec{});
      break;
    case CheckerKind::Misc:
      c.retry = 0;
      break;
    case CheckerKind::Tcp:
      break;
  }
  return c;
}

}  // namespace lvsctl::director::check
