// Pure health state: keepalived's retry / delay_before_retry / delay_loop / alpha semantics,
// several checkers per real server, misc_dynamic weights, transition texts.
#include <gtest/gtest.h>

#include <vector>

#include "director/check/checker_state.hpp"
#include "director/check/real_server_health.hpp"
#include "shared/clock.hpp"

namespace lvsctl::director::check {
namespace {

using namespace std::chrono_literals;

Checker tcp(unsigned retry, Duration delay_loop = 1s, Duration before_retry = 2s, bool alpha = false) {
  Checker c = default_checker(CheckerKind::Tcp);
  c.retry = retry;
  c.delay_loop = delay_loop;
  c.delay_before_retry = before_retry;
  c.alpha = alpha;
  return c;
}

const ProbeResult kOk = ProbeResult::up("connected");
const ProbeResult kTimeout = ProbeResult::down("connect timeout after 10 s");

Checker with_kind(CheckerKind kind, Checker c) {
  c.kind = kind;
  return c;
}

// A checker that has succeeded once: its retry budget is no longer spent from start-up.
CheckerState warmed(const Checker& c) {
  CheckerState s(c);
  s.record(kOk);
  return s;
}

// The delays (in ms) a checker asks for after each of `results` (true: success).
std::vector<long> delays(CheckerState& s, const std::vector<bool>& results) {
  std::vector<long> out;
  for (bool ok : results) {
    out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                      s.record(ok ? kOk : kTimeout).next_delay)
                      .count());
  }
  return out;
}

TEST(CheckerState, SuccessKeepsUpAndWaitsDelayLoop) {
  CheckerState s(tcp(3, 6s));
  EXPECT_TRUE(s.up());
  auto step = s.record(kOk);
  EXPECT_EQ(step.next_delay, 6s);
  EXPECT_FALSE(step.retry);
  EXPECT_FALSE(step.became_up.has_value());
  EXPECT_TRUE(s.has_run());
}

TEST(CheckerState, RetriesThenDown) {
  CheckerState s = warmed(tcp(3, 6s, 2s));
  for (unsigned i = 1; i <= 3; ++i) {
    auto step = s.record(kTimeout);
    EXPECT_EQ(step.next_delay, 2s) << "retry " << i;
    EXPECT_TRUE(step.retry);
    EXPECT_TRUE(s.retrying());
    EXPECT_FALSE(step.became_up.has_value());
    EXPECT_TRUE(s.up());
  }
  auto step = s.record(kTimeout);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_FALSE(*step.became_up);
  EXPECT_EQ(step.retries_used, 3u);
  EXPECT_EQ(step.next_delay, 6s);
  EXPECT_FALSE(s.retrying());
  EXPECT_FALSE(s.up());
}

// keepalived check_data.c: "For non alpha mode, one failure is enough initially" (retry_it
// starts at retry): a dead server at start-up goes down at its first probe, no retries.
TEST(CheckerState, FirstFailureAtStartUpGoesDownAtOnce) {
  for (auto kind : {CheckerKind::Tcp, CheckerKind::HttpGet, CheckerKind::SslGet, CheckerKind::Misc}) {
    CheckerState s(with_kind(kind, tcp(3, 6s, 2s)));
    auto step = s.record(kTimeout);
    ASSERT_TRUE(step.became_up.has_value()) << to_string(kind);
    EXPECT_FALSE(*step.became_up);
    EXPECT_EQ(step.retries_used, 0u);
    EXPECT_GE(step.next_delay, 6s) << to_string(kind);
  }
}

// keepalived check_data.c sets retry_it = retry only when not reloading: a checker added by a
// reload (SIGHUP) retries its first failure like any later one.
TEST(CheckerState, AddedByReloadRetriesItsFirstFailure) {
  for (auto kind : {CheckerKind::Tcp, CheckerKind::HttpGet, CheckerKind::SslGet, CheckerKind::Misc}) {
    CheckerState s(with_kind(kind, tcp(2, 6s, 2s)), CheckerStart::Reload);
    for (unsigned i = 1; i <= 2; ++i) {
      auto step = s.record(kTimeout);
      EXPECT_FALSE(step.became_up.has_value()) << to_string(kind) << " failure " << i;
      EXPECT_EQ(step.next_delay, 2s) << to_string(kind) << " failure " << i;
      EXPECT_TRUE(s.retrying());
      EXPECT_TRUE(s.up());
    }
    auto step = s.record(kTimeout);
    ASSERT_TRUE(step.became_up.has_value()) << to_string(kind);
    EXPECT_FALSE(*step.became_up);
    EXPECT_EQ(step.retries_used, 2u) << to_string(kind);
    EXPECT_GE(step.next_delay, 6s) << to_string(kind);
  }
}

TEST(CheckerState, AddedByReloadSucceedingFirstIsLikeAnyOther) {
  CheckerState s(tcp(1, 5s, 1s), CheckerStart::Reload);
  EXPECT_EQ(delays(s, {true, false, false, true}), (std::vector<long>{5000, 1000, 5000, 5000}));
  EXPECT_TRUE(s.up());
}

TEST(CheckerState, AddedByReloadWithoutRetryGoesDownAtOnce) {
  CheckerState s(tcp(0, 5s, 1s), CheckerStart::Reload);
  auto step = s.record(kTimeout);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_FALSE(*step.became_up);
  EXPECT_EQ(step.retries_used, 0u);
}

// An alpha checker added by a reload starts down (check_new_rs_state) with its budget full;
// keepalived marks a MISC/HTTP checker as having run only when it reports, so the absorbed
// failures are retried before it is reported down; after that it waits delay_loop.
TEST(CheckerState, AlphaMiscAddedByReloadRetriesBeforeReportingDown) {
  CheckerState s(with_kind(CheckerKind::Misc, tcp(2, 5s, 1s, /*alpha=*/true)), CheckerStart::Reload);
  EXPECT_FALSE(s.up());
  EXPECT_EQ(delays(s, {false, false, false, false}), (std::vector<long>{1000, 1000, 5000, 5000}));
  EXPECT_FALSE(s.up());
  // At daemon start the budget is spent: reported down at the first failure.
  CheckerState at_start(with_kind(CheckerKind::Misc, tcp(2, 5s, 1s, /*alpha=*/true)));
  EXPECT_EQ(delays(at_start, {false, false}), (std::vector<long>{5000, 5000}));
}

TEST(CheckerState, AlphaTcpAddedByReloadRetriesThenCycles) {
  CheckerState s(tcp(1, 5s, 1s, /*alpha=*/true), CheckerStart::Reload);
  EXPECT_EQ(delays(s, {false, false, false, false}), (std::vector<long>{1000, 5000, 1000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

// keepalived check_tcp.c tcp_epilog: retries are counted whether the checker is up or down, so
// a dead server is probed retry + 1 times per cycle of retry x delay_before_retry + delay_loop.
TEST(CheckerState, TcpDownKeepsRetrying) {
  CheckerState s(tcp(2, 5s, 1s));
  EXPECT_EQ(delays(s, {false, false, false, false, false, false, false}),
            (std::vector<long>{5000, 1000, 1000, 5000, 1000, 1000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
  EXPECT_EQ(step.next_delay, 5s);
}

// keepalived check_misc.c: a down MISC_CHECK neither counts nor retries: delay_loop.
TEST(CheckerState, MiscDownWaitsDelayLoop) {
  CheckerState s(with_kind(CheckerKind::Misc, tcp(2, 5s, 1s)));
  EXPECT_EQ(delays(s, {false, false, false, true, false, false, false, false}),
            (std::vector<long>{5000, 5000, 5000, 5000, 1000, 1000, 5000, 5000}));
  EXPECT_FALSE(s.up());
}

// keepalived check_http.c epilog: retried while up; once down, max(delay_loop,
// delay_before_retry); the first success after that only clears the failure and the next one
// (delay_loop later) brings the checker up.
TEST(CheckerState, HttpDownWaitsAndNeedsTwoSuccesses) {
  CheckerState s = warmed(with_kind(CheckerKind::HttpGet, tcp(1, 5s, 3s)));
  EXPECT_EQ(delays(s, {false, false, false}), (std::vector<long>{3000, 5000, 5000}));
  EXPECT_FALSE(s.up());
  auto step = s.record(kOk);
  EXPECT_FALSE(step.became_up.has_value());
  EXPECT_FALSE(s.up());
  EXPECT_EQ(step.next_delay, 5s);
  step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);

  CheckerState slow = warmed(with_kind(CheckerKind::SslGet, tcp(1, 2s, 3s)));
  EXPECT_EQ(delays(slow, {false, false, false}), (std::vector<long>{3000, 3000, 3000}));
  // A failure after the clearing success (not yet up): delay_before_retry, no new failure mark,
  // so the next success brings it straight up.
  EXPECT_EQ(delays(slow, {true, false, false}), (std::vector<long>{2000, 3000, 3000}));
  EXPECT_FALSE(slow.up());
  auto up = slow.record(kOk);
  ASSERT_TRUE(up.became_up.has_value());
  EXPECT_TRUE(*up.became_up);
}

TEST(CheckerState, SuccessDuringRetriesResetsCount) {
  CheckerState s = warmed(tcp(2));
  s.record(kTimeout);
  EXPECT_TRUE(s.retrying());
  s.record(kOk);
  EXPECT_FALSE(s.retrying());
  s.record(kTimeout);
  s.record(kTimeout);
  EXPECT_TRUE(s.up());  // two retries absorbed again from zero
  s.record(kTimeout);
  EXPECT_FALSE(s.up());
}

TEST(CheckerState, RetryZeroGoesDownAtFirstFailure) {
  CheckerState s = warmed(tcp(0));
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
  auto step = s.record(kTimeout);  // the start-up budget is spent: no retry yet
  EXPECT_EQ(step.next_delay, 1s);
  EXPECT_FALSE(step.became_up.has_value());
  step = s.record(kOk);
  ASSERT_TRUE(step.became_up.has_value());
  EXPECT_TRUE(*step.became_up);
}

RealServerConfig server(std::vector<Checker> checkers, int weight = 1) {
  return real_server_config(Endpoint{*IpAddress::parse("203.0.113.102"), 10010}, std::move(checkers), weight);
}

TEST(RealServerHealth, DownMessageNamesServerReasonAndRetries) {
  ManualClock clock;
  RealServerHealth h(server({tcp(3)}));
  EXPECT_TRUE(h.healthy());
  EXPECT_FALSE(h.record(0, kOk, clock.now()).transition.has_value());
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
  Checker misc = default_checker(CheckerKind::Misc);
  std::get<MiscCheck>(misc.spec).dynamic = true;
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
  rs.address = Endpoint{*IpAddress::parse("2001:db8::5"), 443};
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
