// Script security (keepalived's enable_script_security rules): who a script runs as, which
// parts of a script's path make running it as root unsafe, and which program a command line runs.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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

using Files = std::vector<std::string>;

Files files_of(const std::vector<std::string>& argv) {
  auto f = executed_files(argv);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
  return f.ok() ? f->files : Files{};
}

TEST(ScriptSecurityExecutedFiles, TheProgramOnlyWhateverItsArgumentsSay) {
  EXPECT_EQ(files_of({"/etc/k/notify.sh", "MASTER"}), (Files{"/etc/k/notify.sh"}));
  EXPECT_EQ(files_of({"/safe/script.sh", "&&", "/tmp/ww.sh"}), (Files{"/safe/script.sh"}));
  EXPECT_EQ(files_of({"/usr/bin/python3", "/tmp/x.py"}), (Files{"/usr/bin/python3"}));
}

TEST(ScriptSecurityExecutedFiles, AShellAndTheScriptItRuns) {
  EXPECT_EQ(files_of({"/bin/sh", "/etc/k/x.sh", "a"}), (Files{"/bin/sh", "/etc/k/x.sh"}));
  EXPECT_EQ(files_of({"/usr/bin/bash", "-e", "-o", "pipefail", "/etc/k/x.sh"}),
            (Files{"/usr/bin/bash", "/etc/k/x.sh"}));
  EXPECT_EQ(files_of({"/bin/dash", "--", "/e/-x.sh"}), (Files{"/bin/dash", "/e/-x.sh"}));
  EXPECT_EQ(files_of({"/bin/bash", "--norc", "+x", "/s"}), (Files{"/bin/bash", "/s"}));
  EXPECT_EQ(files_of({"/bin/sh"}), (Files{"/bin/sh"}));
  EXPECT_EQ(files_of({"/bin/sh", "-s", "/not/a/script"}), (Files{"/bin/sh"}));
  // A relative script is read from the current directory, which the child inherits.
  const auto rel = files_of({"/bin/sh", "x.sh"});
  ASSERT_EQ(rel.size(), 2u);
  EXPECT_TRUE(rel[1].starts_with("/") && rel[1].ends_with("/x.sh")) << rel[1];
}

TEST(ScriptSecurityExecutedFiles, ShellCommandStringsAreReportedNotVetted) {
  auto f = executed_files({"/bin/sh", "-c", "/tmp/ww.sh", "arg0"});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->files, (Files{"/bin/sh"}));
  EXPECT_EQ(f->command_string, "/tmp/ww.sh");
  auto ec = executed_files({"/bin/bash", "-ec", "true"});
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(ec->command_string, "true");
  EXPECT_EQ(executed_files({"/bin/sh", "/s"})->command_string, std::nullopt);
}

TEST(ScriptSecurityExecutedFiles, EnvAndWhatItRuns) {
  EXPECT_EQ(files_of({"/usr/bin/env", "-i", "A=1", "/bin/sh", "/etc/k/x.sh"}),
            (Files{"/usr/bin/env", "/bin/sh", "/etc/k/x.sh"}));
  EXPECT_EQ(files_of({"/usr/bin/env", "-u", "X", "--", "/etc/k/y"}),
            (Files{"/usr/bin/env", "/etc/k/y"}));
  const auto found = files_of({"/usr/bin/env", "sh", "/s"});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_TRUE(found[1].ends_with("/sh")) << found[1];  // found in PATH, as env would
  auto split = executed_files({"/usr/bin/env", "-S", "/tmp/ww.sh x"});
  ASSERT_FALSE(split.ok());
  EXPECT_EQ(split.error().code, EPERM);
}

// vet() on the real file system: a world-writable script is refused wherever it is executed
// from, and only what is executed is judged.
class ScriptSecurityVet : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/lvsctl-vet-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    ww_ = dir_ + "/ww.sh";
    FILE* f = std::fopen(ww_.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("#!/bin/sh\ntouch /tmp/never\n", f);
    std::fclose(f);
    ASSERT_EQ(::chmod(ww_.c_str(), 0777), 0);
  }
  void TearDown() override {
    std::remove(ww_.c_str());
    ::rmdir(dir_.c_str());
  }
  Result<Credentials> vet(const std::string& line) {
    config::ScriptCommand c;
    c.command = line;
    return ScriptSecurity(global(true, "root"), fake_accounts({{"root", {0, 0}}})).vet(c, "test");
  }
  std::string dir_;
  std::string ww_;
};

TEST_F(ScriptSecurityVet, RefusesAWorldWritableProgramOrShellScript) {
  for (const std::string& line : {ww_, ww_ + " arg", "/bin/sh " + ww_, "sh -e " + ww_,
                                  "/usr/bin/env A=1 " + ww_, "'" + ww_ + "'"}) {
    auto as = vet(line);
    ASSERT_FALSE(as.ok()) << line;
    EXPECT_EQ(as.error().code, EPERM) << line;
    EXPECT_NE(as.error().message.find(ww_), std::string::npos) << as.error().message;
  }
}

TEST_F(ScriptSecurityVet, ShellSyntaxAfterASafeProgramIsOnlyAnArgument) {
  for (const std::string& line : {"/bin/true && " + ww_, "/bin/true ; " + ww_,
                                  "/bin/true $(" + ww_ + ")", "true | " + ww_}) {
    auto as = vet(line);
    EXPECT_TRUE(as.ok()) << line << ": " << as.error().message;
  }
  // `/bin/true;` is the program's name then, and there is no such file: refused.
  auto glued = vet("/bin/true; " + ww_);
  ASSERT_FALSE(glued.ok());
  EXPECT_NE(glued.error().message.find("cannot examine /bin/true;"), std::string::npos)
      << glued.error().message;
}

TEST_F(ScriptSecurityVet, ACommandLineThatCannotBeRunIsRefused) {
  auto open_quote = vet("/bin/true 'a");
  ASSERT_FALSE(open_quote.ok());
  EXPECT_NE(open_quote.error().message.find("missing closing '"), std::string::npos)
      << open_quote.error().message;
  EXPECT_FALSE(vet("no-such-program-lvsctl-test").ok());
}

}  // namespace
}  // namespace lvsctl::director
