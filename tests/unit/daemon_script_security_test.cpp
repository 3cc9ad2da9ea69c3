// Script security (keepalived's enable_script_security rules): who a script runs as, which
// parts of a script's path make running it as root unsafe, and which program a command line runs.
#include <gtest/gtest.h>

#include <cerrno>
#include <map>

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

// Accounts of a fake system: the daemon runs as root; `users` and `groups` exist.
Accounts fake_accounts(std::map<std::string, Credentials> users,
                       std::map<std::string, gid_t> groups = {}) {
  Accounts a;
  a.user = [users](const std::string& n) -> std::optional<Credentials> {
    auto it = users.find(n);
    if (it == users.end()) return std::nullopt;
    return it->second;
  };
  a.group = [groups](const std::string& n) -> std::optional<gid_t> {
    auto it = groups.find(n);
    if (it == groups.end()) return std::nullopt;
    return it->second;
  };
  a.self = Credentials{0, 0};
  return a;
}

config::GlobalDefs global(bool secure, std::optional<std::string> script_user = std::nullopt,
                          std::optional<std::string> script_group = std::nullopt) {
  config::GlobalDefs g;
  g.enable_script_security = secure;
  g.script_user = std::move(script_user);
  g.script_group = std::move(script_group);
  return g;
}

config::ScriptCommand command(std::optional<std::string> user = std::nullopt,
                              std::optional<std::string> group = std::nullopt) {
  config::ScriptCommand c;
  c.command = "/etc/keepalived/check.sh";
  c.user = std::move(user);
  c.group = std::move(group);
  return c;
}

const std::map<std::string, Credentials> kNobody{{"nobody", {65534, 65534}}};

TEST(ScriptSecurityIdentity, WithoutScriptSecurityNoDefaultUserFallsBackToTheDaemonsUser) {
  const ScriptSecurity security(global(false), fake_accounts(kNobody));
  auto as = security.identity(command());
  ASSERT_TRUE(as.ok()) << as.error().message;
  EXPECT_EQ(*as, (Credentials{0, 0}));
}

// keepalived 2.2.7 get_default_script_user(): "Unable to set default user keepalived_script for
// script", and the vrrp_script / MISC_CHECK is removed, the notify script ignored.
TEST(ScriptSecurityIdentity, ScriptSecurityWithoutScriptUserOrKeepalivedScriptRefuses) {
  const ScriptSecurity security(global(true), fake_accounts(kNobody));
  auto as = security.identity(command());
  ASSERT_FALSE(as.ok());
  EXPECT_EQ(as.error().code, ENOENT);
  EXPECT_NE(as.error().message.find("user keepalived_script does not exist"), std::string::npos)
      << as.error().message;
  EXPECT_NE(as.error().message.find("enable_script_security"), std::string::npos);
  // vet() refuses it the same way, before looking at its path.
  auto vetted = security.vet(command(), "vrrp_script chk");
  ASSERT_FALSE(vetted.ok());
  EXPECT_EQ(vetted.error().code, ENOENT);
}

TEST(ScriptSecurityIdentity, ScriptSecurityAcceptsAnExplicitUserEvenRoot) {
  const ScriptSecurity security(global(true), fake_accounts({{"root", {0, 0}}, {"nobody", {65534, 65534}}}));
  auto root = security.identity(command("root"));
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(*root, (Credentials{0, 0}));
  auto nobody = security.identity(command("nobody"));
  ASSERT_TRUE(nobody.ok()) << nobody.error().message;
  EXPECT_EQ(*nobody, (Credentials{65534, 65534}));
}

TEST(ScriptSecurityIdentity, ScriptSecurityUsesScriptUserThenKeepalivedScript) {
  const auto accounts = fake_accounts({{"nobody", {65534, 65534}}, {"keepalived_script", {990, 990}}},
                                      {{"daemon", 1}});
  auto with_script_user = ScriptSecurity(global(true, "nobody", "daemon"), accounts).identity(command());
  ASSERT_TRUE(with_script_user.ok()) << with_script_user.error().message;
  EXPECT_EQ(*with_script_user, (Credentials{65534, 1}));
  auto by_default = ScriptSecurity(global(true), accounts).identity(command());
  ASSERT_TRUE(by_default.ok()) << by_default.error().message;
  EXPECT_EQ(*by_default, (Credentials{990, 990}));
}

TEST(ScriptSecurityIdentity, UnknownUsersAndGroupsAreRefusedWithOrWithoutScriptSecurity) {
  for (bool secure : {false, true}) {
    const auto accounts = fake_accounts(kNobody);
    auto own = ScriptSecurity(global(secure), accounts).identity(command("ghost"));
    ASSERT_FALSE(own.ok());
    EXPECT_EQ(own.error().message, "user ghost does not exist");
    // script_user naming a missing user: every script without its own user is refused.
    auto global_user = ScriptSecurity(global(secure, "ghost"), accounts).identity(command());
    ASSERT_FALSE(global_user.ok());
    EXPECT_EQ(global_user.error().message, "user ghost does not exist");
    auto group = ScriptSecurity(global(secure), accounts).identity(command("nobody", "nogroup"));
    ASSERT_FALSE(group.ok());
    EXPECT_EQ(group.error().message, "group nogroup does not exist");
  }
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
