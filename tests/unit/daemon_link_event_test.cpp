// LinkEvent::ends: when a link event means that the interface an instance started on is gone
// (deleted, or its name now on another index: created again while a deletion went unseen).
#include <gtest/gtest.h>

#include "director/daemon/link_monitor.hpp"

namespace lvsctl::director {
namespace {

LinkEvent event(int ifindex, bool up, bool deleted) {
  LinkEvent e;
  e.ifname = "eth0";
  e.ifindex = ifindex;
  e.up = up;
  e.deleted = deleted;
  return e;
}

TEST(LinkEvent, DeletionOfTheBoundIndexEndsIt) {
  EXPECT_TRUE(event(2, false, true).ends(2));
  EXPECT_FALSE(event(7, false, true).ends(2));  // another interface's deletion
}

TEST(LinkEvent, SameIndexGoingDownOrUpDoesNotEndIt) {
  EXPECT_FALSE(event(2, false, false).ends(2));
  EXPECT_FALSE(event(2, true, false).ends(2));
}

TEST(LinkEvent, TheNameOnANewIndexEndsIt) {
  EXPECT_TRUE(event(9, true, false).ends(2));
  EXPECT_TRUE(event(9, false, false).ends(2));
}

}  // namespace
}  // namespace lvsctl::director
