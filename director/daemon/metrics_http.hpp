#pragma once
// The metrics endpoint's HTTP/1.x request, read incrementally, and its response (pure).
// A request is complete at the blank line after its headers ("\r\n\r\n", or "\n\n"); more than
// `max_length` bytes before it is TooLong, a request line that is not "METHOD TARGET HTTP/1.x"
// (or that contains a NUL or other control byte) Invalid. A body is never read: every response
// closes the connection. Each feed() scans only the new bytes.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace lvsctl::director {

class HttpRequest {
 public:
  static constexpr std::size_t kDefaultMaxLength = 8192;
  enum class State { Incomplete, Complete, TooLong, Invalid };

  explicit HttpRequest(std::size_t max_length = kDefaultMaxLength) : max_(max_length) {}

  State feed(std::string_view bytes);
  State state() const { return state_; }
  const std::string& method() const { return method_; }
  // The path without a query string ("/metrics" for "/metrics?x=1").
  const std::string& path() const { return path_; }

 private:
  State parse_request_line();

  std::size_t max_;
  std::string head_;
  std::size_t scanned_ = 0;
  std::string method_;
  std::string path_;
  State state_ = State::Incomplete;
};

// A complete HTTP/1.1 response with Content-Length and "Connection: close". `with_body` false
// (HEAD): the headers only.
std::string http_response(int status, std::string_view content_type, std::string_view body,
                          bool with_body = true);

// What the endpoint answers for a finished request: GET/HEAD /metrics -> 200 with the
// rendering `metrics()` gives; GET / -> a short page naming /metrics; other paths 404; other
// methods 405; TooLong 431; Invalid 400.
// `metrics` runs only for a /metrics request.
std::string http_answer(const HttpRequest& request, const std::function<std::string()>& metrics);

}  // namespace lvsctl::director
