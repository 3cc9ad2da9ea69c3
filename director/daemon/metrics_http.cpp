#include "director/daemon/metrics_http.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "director/daemon/metrics_text.hpp"

namespace lvsctl::director {

HttpRequest::State HttpRequest::feed(std::string_view bytes) {
  if (state_ != State::Incomplete) return state_;
  // Never hold more than max_ + 4 bytes: a longer head is TooLong without waiting for its end.
  const std::size_t room = max_ + 4 - head_.size();
  head_.append(bytes.substr(0, room));
  // Only the first max_ bytes are looked at, so where the reads split the bytes never changes
  // the verdict (a NUL or a blank line past the cap is TooLong, whole or in pieces).
  const std::size_t end = std::min(head_.size(), max_);
  for (; scanned_ < end; ++scanned_) {
    const char c = head_[scanned_];
    if (c == '\0') return state_ = State::Invalid;
    if (c != '\n') continue;
    const bool blank_crlf = scanned_ >= 3 && head_.compare(scanned_ - 3, 4, "\r\n\r\n") == 0;
    const bool blank_lf = scanned_ >= 1 && head_[scanned_ - 1] == '\n';
    if (blank_crlf || blank_lf) return state_ = parse_request_line();
  }
  if (head_.size() > max_) return state_ = State::TooLong;
  return state_;
}

HttpRequest::State HttpRequest::parse_request_line() {
  std::string_view line(head_);
  line = line.substr(0, line.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return State::Invalid;
  }
  const auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return State::Invalid;
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return State::Invalid;
  const auto version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return State::Invalid;
  method_ = std::string(line.substr(0, sp1));
  for (char c : method_) {
    if (c < 'A' || c > 'Z') return State::Invalid;
  }
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.front() != '/') return State::Invalid;
  path_ = std::string(target.substr(0, target.find('?')));
  return State::Complete;
}

std::string http_response(int status, std::string_view content_type, std::string_view body,
                          bool with_body) {
  const char* reason = "OK";
  switch (status) {
    case 400: reason = "Bad Request"; break;
    case 404: reason = "Not Found"; break;
    case 405: reason = "Method Not Allowed"; break;
    case 431: reason = "Request Header Fields Too Large"; break;
    case 503: reason = "Service Unavailable"; break;
    default: break;
  }
  std::string out = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n", status,
      reason, content_type, body.size());
  if (status == 405) out += "Allow: GET, HEAD\r\n";
  out += "\r\n";
  if (with_body) out += body;
  return out;
}

std::string http_answer(const HttpRequest& request, const std::function<std::string()>& metrics) {
  constexpr std::string_view kText = "text/plain; charset=utf-8";
  switch (request.state()) {
    case HttpRequest::State::TooLong:
      return http_response(431, kText, "request header too large\n");
    case HttpRequest::State::Invalid:
    case HttpRequest::State::Incomplete:
      return http_response(400, kText, "bad request\n");
    case HttpRequest::State::Complete:
      break;
  }
  const bool head = request.method() == "HEAD";
  if (request.method() != "GET" && !head) return http_response(405, kText, "only GET\n");
  if (request.path() == "/metrics") {
    return http_response(200, kMetricsContentType, metrics(), !head);
  }
  if (request.path() == "/") {
    return http_response(200, kText, "lvsctl director: metrics at /metrics\n", !head);
  }
  return http_response(404, kText, "not found; metrics are at /metrics\n", !head);
}

}  // namespace lvsctl::director
