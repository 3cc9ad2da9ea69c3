#include "director/check/http_exchange.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace lvsctl::director::check {
namespace {

constexpr std::string_view kHeaderEnd = "\r\n\r\n";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct Head {
  int status = 0;
  std::optional<std::size_t> content_length;
  bool chunked = false;
  std::size_t body_offset = 0;
};

Result<Head> parse_head(std::string_view raw) {
  const auto end = raw.find(kHeaderEnd);
  if (end == std::string_view::npos) return Error{"incomplete HTTP header"};
  Head head;
  head.body_offset = end + kHeaderEnd.size();
  std::string_view headers = raw.substr(0, end);
  const auto eol = headers.find("\r\n");
  std::string_view status_line = headers.substr(0, eol);
  // "HTTP/1.x 200 OK"
  if (status_line.substr(0, 5) != "HTTP/") {
    return Error{fmt::format("not an HTTP status line: '{}'", status_line.substr(0, 40))};
  }
  const auto sp = status_line.find(' ');
  if (sp == std::string_view::npos || sp + 4 > status_line.size()) {
    return Error{fmt::format("bad HTTP status line: '{}'", status_line.substr(0, 40))};
  }
  std::string_view code = status_line.substr(sp + 1, 3);
  auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), head.status);
  if (ec != std::errc{} || p != code.data() + code.size()) {
    return Error{fmt::format("bad HTTP status code: '{}'", code)};
  }
  std::string_view rest = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
  while (!rest.empty()) {
    const auto next = rest.find("\r\n");
    std::string_view line = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      std::size_t n = 0;
      auto [q, e] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (e == std::errc{} && q == value.data() + value.size()) head.content_length = n;
    } else if (iequals(name, "Transfer-Encoding") && value.find("chunked") != std::string_view::npos) {
      head.chunked = true;
    }
  }
  return head;
}

// Decodes a chunked body. nullopt: not finished yet (or malformed: treated as unfinished, and
// parse_http_response reports it at EOF).
std::optional<std::string> dechunk(std::string_view body) {
  std::string out;
  for (;;) {
    const auto eol = body.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view size_text = body.substr(0, eol);
    if (auto semi = size_text.find(';'); semi != std::string_view::npos) size_text = size_text.substr(0, semi);
    size_text = trim(size_text);
    std::size_t size = 0;
    auto [p, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc{} || size_text.empty()) return std::nullopt;
    body.remove_prefix(eol + 2);
    if (size == 0) return out;  // trailers ignored
    if (body.size() < size + 2) return std::nullopt;
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

std::string describe_ranges(const std::vector<StatusCodeRange>& ranges) {
  if (ranges.empty()) return "200-299";
  std::string s;
  for (const auto& r : ranges) {
    if (!s.empty()) s += ' ';
    s += r.low == r.high ? std::to_string(r.low) : fmt::format("{}-{}", r.low, r.high);
  }
  return s;
}

}  // namespace

std::string build_http_request(std::string_view path, std::string_view host, std::string_view protocol) {
  const bool v11 = protocol == "1.1";
  std::string req = fmt::format("GET {} HTTP/{}\r\nUser-Agent: lvsctl-checker\r\nHost: {}\r\n",
                                path.empty() ? "/" : path, v11 ? "1.1" : "1.0", host);
  if (v11 || protocol == "1.0C") req += "Connection: close\r\n";
  req += "\r\n";
  return req;
}

bool http_response_complete(std::string_view raw) {
  auto head = parse_head(raw);
  if (!head) return false;
  std::string_view body = raw.substr(head->body_offset);
  if (head->chunked) return dechunk(body).has_value();
  if (head->content_length) return body.size() >= *head->content_length;
  return false;
}

Result<HttpResponse> parse_http_response(std::string_view raw) {
  if (raw.empty()) return Error{"connection closed without a response"};
  auto head = parse_head(raw);
  if (!head) return head.error();
  HttpResponse resp;
  resp.status = head->status;
  std::string_view body = raw.substr(head->body_offset);
  if (head->chunked) {
    auto decoded = dechunk(body);
    if (!decoded) return Error{"truncated chunked body"};
    resp.body = std::move(*decoded);
  } else if (head->content_length) {
    if (body.size() < *head->content_length) {
      return Error{fmt::format("body truncated: {} of {} bytes", body.size(), *head->content_length)};
    }
    resp.body = std::string(body.substr(0, *head->content_length));
  } else {
    resp.body = std::string(body);
  }
  return resp;
}

bool status_matches(int status, const std::vector<StatusCodeRange>& ranges) {
  if (ranges.empty()) return status >= 200 && status <= 299;
  return std::any_of(ranges.begin(), ranges.end(),
                     [status](const StatusCodeRange& r) { return status >= r.low && status <= r.high; });
}

std::string md5_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

ProbeResult judge_http_response(const UrlCheck& url, const HttpResponse& response) {
  const bool check_status = !url.status_codes.empty() || !url.digest;
  if (check_status && !status_matches(response.status, url.status_codes)) {
    return ProbeResult::down(fmt::format("HTTP status {} not in {} for {}", response.status,
                                         describe_ranges(url.status_codes), url.path));
  }
  if (url.digest) {
    std::string want = *url.digest;
    std::transform(want.begin(), want.end(), want.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string got = md5_hex(response.body);
    if (got != want) {
      return ProbeResult::down(fmt::format("MD5 digest {} of {} differs from {}", got, url.path, want));
    }
  }
  return ProbeResult::up(fmt::format("HTTP status {} for {}", response.status, url.path));
}

}  // namespace lvsctl::director::check
