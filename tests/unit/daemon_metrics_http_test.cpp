// The metrics endpoint's request parser and answers: complete at the blank line, capped, hostile
// bytes refused, only GET/HEAD /metrics renders.
#include <gtest/gtest.h>

#include "director/daemon/metrics_http.hpp"

namespace lvsctl::director {
namespace {

using State = HttpRequest::State;

TEST(HttpRequest, CompleteAtTheBlankLineByteByByte) {
  const std::string text = "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
  HttpRequest r;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    ASSERT_EQ(r.feed(text.substr(i, 1)), State::Incomplete) << i;
  }
  EXPECT_EQ(r.feed(text.substr(text.size() - 1)), State::Complete);
  EXPECT_EQ(r.method(), "GET");
  EXPECT_EQ(r.path(), "/metrics");
}

TEST(HttpRequest, BareNewlinesToo) {
  HttpRequest r;
  EXPECT_EQ(r.feed("GET / HTTP/1.0\n\n"), State::Complete);
  EXPECT_EQ(r.path(), "/");
}

TEST(HttpRequest, TooLongWithoutWaitingForTheEnd) {
  HttpRequest r(64);
  EXPECT_EQ(r.feed("GET /metrics HTTP/1.1\r\nX: " + std::string(100, 'a')), State::TooLong);
  EXPECT_EQ(r.feed("\r\n\r\n"), State::TooLong);  // final
}

// Found by fuzz_metrics_http: a NUL just past the cap made the whole input Invalid and the same
// bytes read in pieces TooLong. Only the first `cap` bytes decide.
TEST(HttpRequest, BytesPastTheCapNeverChangeTheVerdict) {
  const std::string bytes = std::string("GET /metrics") + '\0' + "\n\n";
  HttpRequest whole(12);
  EXPECT_EQ(whole.feed(bytes), State::TooLong);
  HttpRequest pieces(12);
  for (char c : bytes) pieces.feed(std::string_view(&c, 1));
  EXPECT_EQ(pieces.state(), State::TooLong);
}

TEST(HttpRequest, MalformedRequestLines) {
  for (const std::string bad :
       {"GET\r\n\r\n", "GET /metrics\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/2\r\n\r\n", "get /metrics HTTP/1.1\r\n\r\n",
        " GET /metrics HTTP/1.1\r\n\r\n", "GET /me\ttrics HTTP/1.1\r\n\r\n"}) {
    HttpRequest r;
    EXPECT_EQ(r.feed(bad), State::Invalid) << bad;
  }
  HttpRequest nul;
  EXPECT_EQ(nul.feed(std::string("GET /\0 HTTP/1.1", 15)), State::Invalid);
}

int status_of(const std::string& response) { return std::stoi(response.substr(9, 3)); }

TEST(HttpAnswer, RoutesAndMethods) {
  int rendered = 0;
  const auto render = [&] {
    ++rendered;
    return std::string("lvsctl_build_info 1\n");
  };
  const auto answer = [&](const std::string& request) {
    HttpRequest r;
    r.feed(request);
    return http_answer(r, render);
  };
  const auto ok = answer("GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(status_of(ok), 200);
  EXPECT_NE(ok.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(ok.find("Content-Length: 20\r\n"), std::string::npos);
  EXPECT_NE(ok.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(ok.substr(ok.size() - 20), "lvsctl_build_info 1\n");
  const auto head = answer("HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(status_of(head), 200);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
  EXPECT_EQ(rendered, 2);
  EXPECT_EQ(status_of(answer("GET /other HTTP/1.1\r\n\r\n")), 404);
  EXPECT_EQ(status_of(answer("POST /metrics HTTP/1.1\r\n\r\n")), 405);
  EXPECT_EQ(status_of(answer("GET / HTTP/1.1\r\n\r\n")), 200);
  EXPECT_EQ(status_of(answer("GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(rendered, 2);  // only /metrics renders
  HttpRequest huge(16);
  huge.feed(std::string(100, 'A'));
  EXPECT_EQ(status_of(http_answer(huge, render)), 431);
}

}  // namespace
}  // namespace lvsctl::director
