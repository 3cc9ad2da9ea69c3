// The control socket's request line parser: partial lines, the size cap (decided without waiting
// for the end of a huge line), embedded NUL, CRLF, end of input.
#include "director/daemon/control_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lvsctl::director {
namespace {

using State = ControlRequest::State;

TEST(ControlRequest, LineInPiecesIsCompleteAtTheNewline) {
  ControlRequest r;
  EXPECT_EQ(r.feed("sta"), State::Incomplete);
  EXPECT_EQ(r.feed(""), State::Incomplete);
  EXPECT_EQ(r.feed("tus te"), State::Incomplete);
  EXPECT_EQ(r.feed("xt\nignored after"), State::Complete);
  EXPECT_EQ(r.line(), "status text");
  EXPECT_EQ(r.feed("more\n"), State::Complete);  // final: later bytes change nothing
  EXPECT_EQ(r.line(), "status text");
}

TEST(ControlRequest, ByteAtATime) {
  ControlRequest r;
  const std::string text = "status\n";
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    EXPECT_EQ(r.feed(text.substr(i, 1)), State::Incomplete) << i;
  }
  EXPECT_EQ(r.feed("\n"), State::Complete);
  EXPECT_EQ(r.line(), "status");
}

TEST(ControlRequest, CrlfEndsTheLineLikeLf) {
  ControlRequest r;
  EXPECT_EQ(r.feed("status\r"), State::Incomplete);
  EXPECT_EQ(r.feed("\n"), State::Complete);
  EXPECT_EQ(r.line(), "status");
  ControlRequest inner;
  EXPECT_EQ(inner.feed("a\rb\n"), State::Complete);
  EXPECT_EQ(inner.line(), "a\rb");  // only a CR right before the LF is dropped
}

TEST(ControlRequest, EndOfInputCompletesAnUnterminatedLine) {
  ControlRequest r;
  r.feed("status");
  EXPECT_EQ(r.end_of_input(), State::Complete);
  EXPECT_EQ(r.line(), "status");
  ControlRequest nothing;
  EXPECT_EQ(nothing.end_of_input(), State::Empty);
  EXPECT_FALSE(nothing.error().empty());
  ControlRequest empty_line;
  EXPECT_EQ(empty_line.feed("\n"), State::Complete);
  EXPECT_EQ(empty_line.line(), "");
}

TEST(ControlRequest, CapIsExactAndDecidedAtOnce) {
  ControlRequest at_cap(8);
  EXPECT_EQ(at_cap.feed(std::string(8, 'a') + "\n"), State::Complete);
  EXPECT_EQ(at_cap.line(), std::string(8, 'a'));
  ControlRequest at_cap_crlf(8);
  EXPECT_EQ(at_cap_crlf.feed(std::string(8, 'a') + "\r\n"), State::Complete);
  EXPECT_EQ(at_cap_crlf.line(), std::string(8, 'a'));
  ControlRequest over(8);
  EXPECT_EQ(over.feed(std::string(8, 'a')), State::Incomplete);
  EXPECT_EQ(over.feed("a"), State::TooLong);  // the 9th byte, no newline needed
  EXPECT_EQ(over.line(), "");                  // nothing kept
  EXPECT_NE(over.error().find("longer than 8 bytes"), std::string::npos) << over.error();
  ControlRequest cr_then_more(8);
  EXPECT_EQ(cr_then_more.feed(std::string(8, 'a') + "\rb"), State::TooLong);
}

TEST(ControlRequest, HugeInputNeverGrowsTheLine) {
  ControlRequest r;
  const std::string chunk(65536, 'x');
  EXPECT_EQ(r.feed(chunk), State::TooLong);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(r.feed(chunk), State::TooLong);
  EXPECT_LE(r.line().capacity(), ControlRequest::kDefaultMaxLength + 64);
}

TEST(ControlRequest, NulByteIsInvalid) {
  ControlRequest r;
  EXPECT_EQ(r.feed(std::string("sta\0tus\n", 8)), State::Invalid);
  EXPECT_NE(r.error().find("NUL"), std::string::npos);
  EXPECT_EQ(r.end_of_input(), State::Invalid);
}

}  // namespace
}  // namespace lvsctl::director
