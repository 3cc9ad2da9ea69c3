// Pure health state: keepalived's retry / delay_before_retry / delay_loop / alpha semantics,
// several checkers per real server, misc_dynamic weights, transition texts.
#include <gtest/gtest.h>

#include "director/check/checker_state.hpp"
#include "director/check/real_server_health.hpp"
#include "shared/clock.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

CheckerConfig tcp(unsigned retry, Duration delay_loop = 1s, Duration before_retry = 2s, bool alpha = false) {
  CheckerConfig c = default_checker(CheckerKind::Tcp);
  c.retry = retry;
  c.delay_loop = delay_loop;
  c.delay_before_retry = before_retry;
  c.alpha = alpha;
  return c;
}

const ProbeResult kOk = ProbeResult::up("connected");
const ProbeResult kTimeout = ProbeResult::down("connect timeout after 10 s");

TEST(CheckerState, SuccessKeepsUpAndWaitsDelayLoop) {
  CheckerState s(tcp(3, 6s));
  EXPECT_TRUE(s.up());
  auto step = s.record(kOk);
  EXPECT_EQ(step.next_delay, 6s);
  EXPECT_FALSE(step.became_up.has_value());
  EXPECT_TRUE(s.has_run());
}

TEST(CheckerState, RetriesThenDown) {
  CheckerState s(tcp(3, 6s, 2s));
  for (unsigned i = 1; i <= 3; ++i) {
    auto step = s.record(kTimeout);
    EXPECT_EQ(step.next_delay, 2s) << "retry " << i;
    EXPECT_FALSE(step.became_up.has_value());
    EXPECT_TRUE(s.up());
    EXPECT_EQ(s.retries_pending(), i);
  }
  auto step = s.record(kTimeout);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_FALSE(*step.became_up);
  EXPECT_EQ(step.retries_used, 3u);
  EXPECT_EQ(step.next_delay, 6s);
  EXPECT_FALSE(s.up());
  // Down stays down without retrying.
  step = s.record(kTimeout);
  EXPECT_FALSE(step.became_up.has_value());
  EXPECT_EQ(step.next_delay, 6s);
}

TEST(CheckerState, SuccessDuringRetriesResetsCount) {
  CheckerState s(tcp(2));
  s.record(kTimeout);
  EXPECT_EQ(s.retries_pending(), 1u);
  s.record(kOk);
  EXPECT_EQ(s.retries_pending(), 0u);
  s.record(kTimeout);
  s.record(kTimeout);
  EXPECT_TRUE(s.up());  // two retries absorbed again from zero
  s.record(kTimeout);
  EXPECT_FALSE(s.up());
}

TEST(CheckerState, RetryZeroGoesDownAtFirstFailure) {
  CheckerState s(tcp(0));
  auto step = s.record(kTimeout);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_FALSE(*step.became_up);
}

TEST(CheckerState, DownComesBackUpOnFirstSuccess) {
  CheckerState s(tcp(0));
  s.record(kTimeout);
  auto step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

TEST(CheckerState, AlphaStartsDownAndNeedsOneSuccess) {
  CheckerState s(tcp(3, 1s, 2s, /*alpha=*/true));
  EXPECT_FALSE(s.up());
  auto step = s.record(kTimeout);  // a down checker does not retry
  EXPECT_EQ(step.next_delay, 1s);
  EXPECT_FALSE(step.became_up.has_value());
  step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

RealServerConfig server(std::vector<CheckerConfig> checkers, int weight = 1) {
  RealServerConfig rs;
  rs.address = Endpoint{"203.0.113.102", 10010};
  rs.weight = weight;
  rs.checkers = std::move(checkers);
  return rs;
}

TEST(RealServerHealth, DownMessageNamesServerReasonAndRetries) {
  ManualClock clock;
  RealServerHealth h(server({tcp(3)}));
  EXPECT_TRUE(h.healthy());
  for (int i = 0; i < 3; ++i) {
    auto out = h.record(0, kTimeout, clock.now());
    EXPECT_FALSE(out.transition.has_value());
    EXPECT_EQ(out.next_delay, 2s);
  }
  clock.advance(2s);
  auto out = h.record(0, kTimeout, clock.now());
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_FALSE(out.transition->healthy);
  EXPECT_EQ(out.transition->message, "203.0.113.102:10010 DOWN: connect timeout after 10 s, retry 3/3");
  EXPECT_FALSE(h.healthy());
  ASSERT_TRUE(h.last_check().has_value());
  EXPECT_FALSE(h.last_check()->success);
  EXPECT_EQ(h.last_check()->at, clock.now());
  EXPECT_EQ(h.last_check()->reason, "connect timeout after 10 s");

  out = h.record(0, kOk, clock.now());
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_EQ(out.transition->weight, 1);
  EXPECT_EQ(out.transition->message, "203.0.113.102:10010 UP: connected");
}

TEST(RealServerHealth, NoRetrySuffixWhenRetryIsZero) {
  RealServerHealth h(server({tcp(0)}));
  auto out = h.record(0, ProbeResult::down("script exited 1"), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_EQ(out.transition->message, "203.0.113.102:10010 DOWN: script exited 1");
}

TEST(RealServerHealth, AllCheckersMustPass) {
  RealServerHealth h(server({tcp(0), tcp(0)}));
  auto out = h.record(1, kTimeout, {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_FALSE(h.healthy());
  out = h.record(0, kTimeout, {});  // already down: no second transition
  EXPECT_FALSE(out.transition.has_value());
  out = h.record(1, kOk, {});  // checker 0 still down
  EXPECT_FALSE(out.transition.has_value());
  EXPECT_FALSE(h.healthy());
  out = h.record(0, kOk, {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_TRUE(h.healthy());
}

TEST(RealServerHealth, AlphaServerStartsUnhealthy) {
  RealServerHealth h(server({tcp(1, 1s, 1s, true), tcp(1)}));
  EXPECT_FALSE(h.healthy());
  auto out = h.record(0, kOk, {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
}

TEST(RealServerHealth, MiscDynamicSetsWeight) {
  CheckerConfig misc = default_checker(CheckerKind::Misc);
  misc.misc_dynamic = true;
  RealServerHealth h(server({misc}, 5));
  EXPECT_EQ(h.weight(), 5);
  auto out = h.record(0, ProbeResult::up("script exited 12 (weight 10)", 10), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_EQ(out.transition->weight, 10);
  EXPECT_EQ(out.transition->message, "203.0.113.102:10010 weight 5 -> 10: script exited 12 (weight 10)");
  out = h.record(0, ProbeResult::up("same", 10), {});
  EXPECT_FALSE(out.transition.has_value());
  out = h.record(0, ProbeResult::down("script exited 1"), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_FALSE(out.transition->healthy);
  out = h.record(0, ProbeResult::up("script exited 22 (weight 20)", 20), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_EQ(out.transition->weight, 20);
}

TEST(RealServerHealth, Ipv6AddressIsBracketed) {
  RealServerConfig rs = server({tcp(0)});
  rs.address = Endpoint{"2001:db8::5", 443};
  RealServerHealth h(rs);
  auto out = h.record(0, kTimeout, {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_EQ(out.transition->message, "[2001:db8::5]:443 DOWN: connect timeout after 10 s");
}

TEST(FormatSeconds, WholeAndFractional) {
  EXPECT_EQ(format_seconds(10s), "10 s");
  EXPECT_EQ(format_seconds(2500ms), "2.5 s");
  EXPECT_EQ(format_seconds(250ms), "0.25 s");
}

}  // namespace
}  // namespace lvsctl::director::check
