#pragma once
// The HTTP side of HTTP_GET / SSL_GET, pure: the request bytes, when a response is complete,
// parsing it, and judging it against a url block (status_code ranges and/or MD5 digest).
#include <optional>
#include <string>
#include <string_view>

#include "director/check/check_config.hpp"
#include "director/check/probe_result.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::check {

struct HttpResponse {
  int status = 0;
  std::string body;  // de-chunked when Transfer-Encoding: chunked
};

// "GET /path HTTP/1.0\r\nUser-Agent: ...\r\nHost: host\r\n\r\n". protocol "1.0C" adds
// "Connection: close"; "1.1" sends HTTP/1.1 with "Connection: close".
std::string build_http_request(std::string_view path, std::string_view host, std::string_view protocol);

// True when `raw` holds a whole response: headers plus Content-Length bytes, or a finished chunked
// body. Without either, a response ends at EOF only (and this returns false).
bool http_response_complete(std::string_view raw);

// Parses a response read up to EOF (or until http_response_complete). Errors name what is wrong.
Result<HttpResponse> parse_http_response(std::string_view raw);

bool status_matches(int status, const std::vector<StatusCodeRange>& ranges);  // empty: 200-299

// Lowercase hex MD5 of `data` (the keepalived `digest` / genhash format).
std::string md5_hex(std::string_view data);

// Judges `response` for `url`: status in range (when status codes are given or no digest is),
// and body digest equal (when a digest is given).
ProbeResult judge_http_response(const UrlCheck& url, const HttpResponse& response);

}  // namespace lvsctl::director::check
