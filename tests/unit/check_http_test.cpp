// HTTP_GET/SSL_GET exchange, pure: request text, completeness, parsing, status ranges, digest;
// MISC_CHECK exit code verdicts.
#include <gtest/gtest.h>

#include "director/check/http_exchange.hpp"
#include "director/check/misc_probe.hpp"

namespace lvsctl::director::check {
namespace {

TEST(HttpRequest, Http10WithHost) {
  EXPECT_EQ(build_http_request("/health", "www.example.org", "1.0"),
            "GET /health HTTP/1.0\r\nUser-Agent: lvsctl-checker\r\nHost: www.example.org\r\n\r\n");
}

TEST(HttpRequest, Http11AndOneZeroCloseAskToClose) {
  EXPECT_NE(build_http_request("/", "h", "1.1").find("GET / HTTP/1.1\r\n"), std::string::npos);
  EXPECT_NE(build_http_request("/", "h", "1.1").find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(build_http_request("/", "h", "1.0C").find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(build_http_request("/", "h", "1.0").find("Connection"), std::string::npos);
}

TEST(HttpResponse, CompleteWithContentLength) {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  EXPECT_FALSE(http_response_complete("HTTP/1.1 200 OK\r\nContent-Len"));
  EXPECT_FALSE(http_response_complete(head + "hel"));
  EXPECT_TRUE(http_response_complete(head + "hello"));
  auto r = parse_http_response(head + "hello");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
}

TEST(HttpResponse, WithoutLengthEndsAtEof) {
  const std::string raw = "HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nnot here";
  EXPECT_FALSE(http_response_complete(raw));
  auto r = parse_http_response(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "not here");
}

TEST(HttpResponse, ChunkedBodyIsDecoded) {
  const std::string raw =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n";
  EXPECT_TRUE(http_response_complete(raw));
  EXPECT_FALSE(http_response_complete(raw.substr(0, raw.size() - 7)));
  auto r = parse_http_response(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "hello world");
}

TEST(HttpResponse, GarbageAndTruncationAreErrors) {
  auto r = parse_http_response("SSH-2.0-OpenSSH\r\n\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("SSH-2.0"), std::string::npos);
  EXPECT_FALSE(parse_http_response("").ok());
  EXPECT_FALSE(parse_http_response("HTTP/1.1 200 OK\r\n").ok());
  auto t = parse_http_response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("3 of 10"), std::string::npos);
  EXPECT_FALSE(parse_http_response("HTTP/1.1 2x0 OK\r\n\r\n").ok());
}

TEST(StatusMatches, DefaultAndRanges) {
  EXPECT_TRUE(status_matches(200, {}));
  EXPECT_TRUE(status_matches(299, {}));
  EXPECT_FALSE(status_matches(301, {}));
  const std::vector<StatusCodeRange> ranges{{200, 299}, {400, 499}, {503, 503}};
  EXPECT_TRUE(status_matches(404, ranges));
  EXPECT_TRUE(status_matches(503, ranges));
  EXPECT_FALSE(status_matches(500, ranges));
  EXPECT_FALSE(status_matches(302, ranges));
}

TEST(Md5, KnownVectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("hello\n"), "b1946ac92492d2347c6235b4d2611184");
}

TEST(JudgeHttp, StatusOutOfRangeNamesCodeRangeAndPath) {
  UrlCheck url;
  url.path = "/health";
  auto r = judge_http_response(url, HttpResponse{500, "x"});
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.reason, "HTTP status 500 not in 200-299 for /health");
  url.status_codes = {{200, 200}, {300, 399}};
  r = judge_http_response(url, HttpResponse{404, "x"});
  EXPECT_EQ(r.reason, "HTTP status 404 not in 200 300-399 for /health");
  EXPECT_TRUE(judge_http_response(url, HttpResponse{302, ""}).success);
}

TEST(JudgeHttp, DigestComparedCaseInsensitively) {
  UrlCheck url;
  url.digest = "B1946AC92492D2347C6235B4D2611184";
  EXPECT_TRUE(judge_http_response(url, HttpResponse{200, "hello\n"}).success);
  auto r = judge_http_response(url, HttpResponse{200, "bye\n"});
  EXPECT_FALSE(r.success);
  EXPECT_NE(r.reason.find("differs from b1946ac92492d2347c6235b4d2611184"), std::string::npos);
}

TEST(JudgeHttp, DigestOnlyIgnoresStatusStatusPlusDigestChecksBoth) {
  UrlCheck url;
  url.digest = md5_hex("body");
  EXPECT_TRUE(judge_http_response(url, HttpResponse{500, "body"}).success);
  url.status_codes = {{200, 200}};
  EXPECT_FALSE(judge_http_response(url, HttpResponse{500, "body"}).success);
  EXPECT_TRUE(judge_http_response(url, HttpResponse{200, "body"}).success);
}

TEST(JudgeMisc, ExitCodes) {
  EXPECT_TRUE(judge_misc_exit(ExitStatus{true, 0, 0}, false).success);
  EXPECT_FALSE(judge_misc_exit(ExitStatus{true, 1, 0}, false).success);
  EXPECT_FALSE(judge_misc_exit(ExitStatus{true, 7, 0}, false).success);
  auto dyn = judge_misc_exit(ExitStatus{true, 12, 0}, true);
  EXPECT_TRUE(dyn.success);
  ASSERT_TRUE(dyn.weight.has_value());
  EXPECT_EQ(*dyn.weight, 10);
  EXPECT_FALSE(judge_misc_exit(ExitStatus{true, 1, 0}, true).success);
  auto killed = judge_misc_exit(ExitStatus{false, 0, 9}, false);
  EXPECT_FALSE(killed.success);
  EXPECT_EQ(killed.reason, "script killed by signal 9");
}

}  // namespace
}  // namespace lvsctl::director::check
