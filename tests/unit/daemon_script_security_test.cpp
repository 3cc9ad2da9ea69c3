// Script security (keepalived's enable_script_security rules): which parts of a script's path
// make running it as root unsafe, and which program a command line runs.
#include <gtest/gtest.h>

#include "director/daemon/script_security.hpp"

namespace lvsctl::director {
namespace {

PathEntry dir(const std::string& path, mode_t perm, uid_t uid = 0, gid_t gid = 0) {
  return PathEntry{path, false, static_cast<mode_t>(S_IFDIR | perm), uid, gid};
}
PathEntry file(const std::string& path, mode_t perm, uid_t uid = 0, gid_t gid = 0) {
  return PathEntry{path, true, static_cast<mode_t>(S_IFREG | perm), uid, gid};
}

TEST(ScriptSecurity, RootOwnedNotWritableByOthersIsSafe) {
  EXPECT_EQ(unsafe_reason(dir("/", 0755)), std::nullopt);
  EXPECT_EQ(unsafe_reason(dir("/etc/keepalived", 0755)), std::nullopt);
  EXPECT_EQ(unsafe_reason(file("/etc/keepalived/notify.sh", 0755)), std::nullopt);
  EXPECT_EQ(unsafe_reason(file("/etc/keepalived/notify.sh", 0700)), std::nullopt);
}

TEST(ScriptSecurity, GroupWriteCountsOnlyForNonRootGroups) {
  EXPECT_EQ(unsafe_reason(file("/s", 0775, 0, 0)), std::nullopt);
  EXPECT_EQ(unsafe_reason(file("/s", 0775, 0, 1000)), "/s is writable by group 1000");
  EXPECT_EQ(unsafe_reason(dir("/d", 0775, 0, 50)), "/d is writable by group 50");
}

TEST(ScriptSecurity, WorldWritableFileOrDirectoryIsUnsafe) {
  EXPECT_EQ(unsafe_reason(file("/s", 0757)), "/s is writable by everyone");
  EXPECT_EQ(unsafe_reason(dir("/d", 0777)), "/d is writable by everyone");
}

TEST(ScriptSecurity, StickyDirectoriesLikeTmpAreSafe) {
  EXPECT_EQ(unsafe_reason(dir("/tmp", 01777)), std::nullopt);
}

TEST(ScriptSecurity, NonRootOwnerIsUnsafe) {
  EXPECT_EQ(unsafe_reason(file("/home/u/s", 0700, 1000)), "/home/u/s is owned by uid 1000, not root");
  EXPECT_EQ(unsafe_reason(dir("/tmp/x", 0755, 1000)), "/tmp/x is owned by uid 1000, not root");
}

TEST(ScriptSecurity, SymlinkModeIgnoredOwnerChecked) {
  const PathEntry link{"/l", true, static_cast<mode_t>(S_IFLNK | 0777), 0, 0};
  EXPECT_EQ(unsafe_reason(link), std::nullopt);
  const PathEntry theirs{"/l", true, static_cast<mode_t>(S_IFLNK | 0777), 1000, 0};
  EXPECT_NE(unsafe_reason(theirs), std::nullopt);
}

TEST(ScriptSecurity, SymlinkedDirectoryOnTheWayIsJudgedByOwner) {
  // Debian 12's merged /usr: /bin -> usr/bin, owned by root (its target is walked separately).
  EXPECT_EQ(unsafe_reason(PathEntry{"/bin", false, S_IFLNK | 0777, 0, 0}), std::nullopt);
  EXPECT_EQ(unsafe_reason(PathEntry{"/opt/x", false, S_IFLNK | 0777, 1000, 0}),
            "/opt/x is owned by uid 1000, not root");
}

TEST(ScriptSecurity, WrongFileTypesAreUnsafe) {
  EXPECT_EQ(unsafe_reason(PathEntry{"/a", false, S_IFREG | 0755, 0, 0}), "/a is not a directory");
  EXPECT_EQ(unsafe_reason(PathEntry{"/d", true, S_IFDIR | 0755, 0, 0}), "/d is not a regular file");
}

TEST(ScriptSecurity, ProgramIsTheFirstWordSearchedInPath) {
  EXPECT_EQ(script_program("/etc/k/notify.sh MASTER"), "/etc/k/notify.sh");
  EXPECT_EQ(script_program("  /bin/true"), "/bin/true");
  EXPECT_EQ(script_program(""), "");
  const std::string sh = script_program("sh -c 'exit 0'");
  EXPECT_TRUE(sh.ends_with("/sh")) << sh;
  EXPECT_EQ(script_program("no-such-program-lvsctl-test"), "");
}

}  // namespace
}  // namespace lvsctl::director
