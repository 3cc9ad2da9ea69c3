// LogRateLimiter: first occurrence in full, then one summary per interval, per reason; counts
// everything.
#include <gtest/gtest.h>

#include "shared/log_rate_limit.hpp"

namespace lvsctl {
namespace {

using namespace std::chrono_literals;
using Kind = LogRateLimiter::Line::Kind;
const LogRateLimiter::TimePoint T0 = LogRateLimiter::TimePoint{} + 1h;

TEST(LogRateLimiter, FirstInFullThenSilentThenOneSummaryPerInterval) {
  LogRateLimiter limit(10s);
  auto first = limit.occurred("bad checksum", "from a", T0);
  EXPECT_EQ(first.kind, Kind::full);
  EXPECT_EQ(first.last_detail, "from a");
  int lines = 1;
  std::uint64_t summarized = 0;
  // A flood: 1000 per second for 25 s.
  for (int i = 1; i <= 25'000; ++i) {
    auto line = limit.occurred("bad checksum", "from " + std::to_string(i), T0 + i * 1ms);
    if (line) {
      ++lines;
      EXPECT_EQ(line.kind, Kind::summary);
      summarized += line.suppressed;
      EXPECT_EQ(line.last_detail, "from " + std::to_string(i));
    }
  }
  EXPECT_EQ(lines, 3);  // full at 0 s, summaries at 10 s and 20 s
  EXPECT_EQ(limit.total("bad checksum"), 25'001u);
  // The tail (20 s .. 25 s) comes out once the interval has passed.
  EXPECT_TRUE(limit.due(T0 + 25s).empty());
  auto tail = limit.due(T0 + 30s + 1ms);
  ASSERT_EQ(tail.size(), 1u);
  summarized += tail[0].suppressed;
  EXPECT_EQ(summarized, 25'000u);
  EXPECT_TRUE(limit.due(T0 + 60s).empty());
}

TEST(LogRateLimiter, ReasonsAreIndependent) {
  LogRateLimiter limit(10s);
  EXPECT_EQ(limit.occurred("a", "", T0).kind, Kind::full);
  EXPECT_EQ(limit.occurred("b", "", T0 + 1ms).kind, Kind::full);
  EXPECT_FALSE(limit.occurred("a", "", T0 + 2ms));
  EXPECT_EQ(limit.total("a"), 2u);
  EXPECT_EQ(limit.total("b"), 1u);
  EXPECT_EQ(limit.total("c"), 0u);
}

TEST(LogRateLimiter, QuietReasonIsLoggedInFullAgain) {
  LogRateLimiter limit(10s);
  EXPECT_EQ(limit.occurred("a", "", T0).kind, Kind::full);
  EXPECT_EQ(limit.occurred("a", "x", T0 + 11s).kind, Kind::full);
  EXPECT_FALSE(limit.occurred("a", "y", T0 + 12s));
  auto line = limit.occurred("a", "z", T0 + 21s);
  EXPECT_EQ(line.kind, Kind::summary);
  EXPECT_EQ(line.suppressed, 2u);
  EXPECT_EQ(line.last_detail, "z");
}

}  // namespace
}  // namespace lvsctl
