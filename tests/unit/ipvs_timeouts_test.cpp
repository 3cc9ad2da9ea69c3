// lvs_timeouts as keepalived 2.2.7 applies them: configured values win, the rest are the
// kernel's values as read before the first change (so a reload without them, or a stop, puts
// those back).
#include <gtest/gtest.h>

#include "director/ipvs/timeouts.hpp"

namespace lvsctl::director::ipvs {
namespace {

const Timeouts kKernel{900, 120, 300};  // Linux's defaults

TEST(IpvsTimeouts, ConfiguredValuesWinAndTheOthersAreTheKernelsOriginals) {
  EXPECT_EQ(timeouts_to_set({7200, 0, 0}, kKernel), (Timeouts{7200, 120, 300}));
  EXPECT_EQ(timeouts_to_set({0, 30, 60}, kKernel), (Timeouts{900, 30, 60}));
  EXPECT_EQ(timeouts_to_set({1, 2, 3}, kKernel), (Timeouts{1, 2, 3}));
}

TEST(IpvsTimeouts, NothingConfiguredIsTheOriginalsAgain) {
  EXPECT_EQ(timeouts_to_set({}, kKernel), kKernel);
  EXPECT_FALSE(Timeouts{}.any());
  EXPECT_TRUE((Timeouts{0, 0, 1}).any());
}

TEST(IpvsTimeouts, UnreadOriginalsLeaveTheUnconfiguredValuesAlone) {
  // Reading failed: zeros, which the kernel takes as "unchanged".
  EXPECT_EQ(timeouts_to_set({0, 0, 45}, {}), (Timeouts{0, 0, 45}));
}

}  // namespace
}  // namespace lvsctl::director::ipvs
