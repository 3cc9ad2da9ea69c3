// The state of a vrrp_sync_group as its own notify scripts are told it (keepalived's
// "GROUP G1 MASTER 0"): fault wins, master needs every member, backup needs every member.
#include <gtest/gtest.h>

#include "director/vrrp/sync_group.hpp"

namespace lvsctl::director::vrrp {
namespace {

TEST(GroupState, FaultWinsMasterAndBackupNeedEveryMember) {
  using S = State;
  EXPECT_EQ(group_state({S::master, S::fault}, S::master), S::fault);
  EXPECT_EQ(group_state({S::master, S::master}, S::backup), S::master);
  EXPECT_EQ(group_state({S::backup, S::backup}, S::init), S::backup);
  // Members moving together this round, or still starting: the group keeps its state.
  EXPECT_EQ(group_state({S::master, S::backup}, S::backup), S::backup);
  EXPECT_EQ(group_state({S::master, S::backup}, S::master), S::master);
  EXPECT_EQ(group_state({S::init, S::backup}, S::init), S::init);
  EXPECT_EQ(group_state({}, S::init), S::init);
}

}  // namespace
}  // namespace lvsctl::director::vrrp
