// QuorumState against keepalived 2.2.7's update_quorum_state(): starts down, gains quorum at
// quorum + hysteresis, loses it below quorum - hysteresis or at live weight 0.
#include <gtest/gtest.h>

#include "director/check/quorum_state.hpp"

namespace lvsctl::director::check {
namespace {

TEST(QuorumState, StartsDownAndGainsAtQuorumPlusHysteresis) {
  QuorumState q(3, 1);
  EXPECT_FALSE(q.up());
  EXPECT_EQ(q.threshold(), 4);
  EXPECT_FALSE(q.update(3).has_value());
  auto change = q.update(4);
  ASSERT_TRUE(change.has_value());
  EXPECT_TRUE(change->up);
  EXPECT_EQ(change->message, "Gained quorum 3+1=4 <= 4");
  EXPECT_TRUE(q.up());
  EXPECT_EQ(q.threshold(), 2);
}

TEST(QuorumState, HysteresisBandHoldsTheState) {
  QuorumState q(3, 1);
  ASSERT_TRUE(q.update(5));
  for (long w : {4, 3, 2}) EXPECT_FALSE(q.update(w).has_value()) << w;  // 2 = quorum - hysteresis
  auto change = q.update(1);
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->up);
  EXPECT_EQ(change->message, "Lost quorum 3-1=2 > 1");
  for (long w : {1, 2, 3}) EXPECT_FALSE(q.update(w).has_value()) << w;  // needs 4 again
  EXPECT_TRUE(q.update(4).has_value());
}

TEST(QuorumState, WithoutHysteresisFlipsAtQuorum) {
  QuorumState q(2, 0);
  EXPECT_TRUE(q.update(2));
  EXPECT_FALSE(q.update(2));
  auto change = q.update(1);
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->up);
}

TEST(QuorumState, LiveWeightZeroAlwaysLosesQuorum) {
  QuorumState q(1, 1);  // quorum - hysteresis = 0: only "nothing alive" drops it
  ASSERT_TRUE(q.update(2));
  EXPECT_FALSE(q.update(1).has_value());
  auto change = q.update(0);
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->up);
  EXPECT_EQ(change->message, "Lost quorum 1-1=0 > 0");
}

TEST(QuorumState, SameSettings) {
  EXPECT_TRUE(QuorumState(2, 1).same_settings(QuorumState(2, 1)));
  EXPECT_FALSE(QuorumState(2, 1).same_settings(QuorumState(2, 0)));
  EXPECT_FALSE(QuorumState(2, 1).same_settings(QuorumState(3, 1)));
}

}  // namespace
}  // namespace lvsctl::director::check
