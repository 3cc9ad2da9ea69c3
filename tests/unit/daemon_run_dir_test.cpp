// Run dir decisions (pure), and the files kept in it or written by dumps: no symlink followed,
// nothing removed that is not ours.
#include "director/daemon/run_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "director/daemon/dump_file.hpp"
#include "director/daemon/pid_file.hpp"

namespace lvsctl::director {
namespace {

TEST(RunDirPath, EmptyAndRelativeAreRefusedWithTheValue) {
  EXPECT_FALSE(check_run_dir_path(""));
  auto rel = check_run_dir_path("run/lvsctl");
  ASSERT_FALSE(rel);
  EXPECT_NE(rel.error().message.find("'run/lvsctl'"), std::string::npos) << rel.error().message;
  EXPECT_FALSE(check_run_dir_path("./x"));
  EXPECT_TRUE(check_run_dir_path("/run/lvsctl"));
}

TEST(RunDirJudge, OwnerAndModeDecide) {
  EXPECT_TRUE(judge_run_dir("/run/lvsctl", {true, 0, S_IFDIR | 0700}, 0));
  EXPECT_TRUE(judge_run_dir("/run/lvsctl", {true, 0, S_IFDIR | 0755}, 0));
  auto world = judge_run_dir("/tmp", {true, 0, S_IFDIR | 01777}, 0);
  ASSERT_FALSE(world);
  EXPECT_NE(world.error().message.find("writable by everyone"), std::string::npos);
  EXPECT_NE(world.error().message.find("1777"), std::string::npos) << world.error().message;
  auto group = judge_run_dir("/x", {true, 0, S_IFDIR | 0770}, 0);
  ASSERT_FALSE(group);
  EXPECT_NE(group.error().message.find("its group"), std::string::npos);
  auto other_owner = judge_run_dir("/x", {true, 1000, S_IFDIR | 0700}, 0);
  ASSERT_FALSE(other_owner);
  EXPECT_NE(other_owner.error().message.find("uid 1000"), std::string::npos);
  EXPECT_FALSE(judge_run_dir("/x", {false, 0, S_IFREG | 0600}, 0));
}

class RunDirFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/lvsctl-rundir-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string dir_;
};

TEST_F(RunDirFiles, PrepareCreates0700AndRefusesWritableByOthers) {
  const std::string run = dir_ + "/run";
  auto made = prepare_run_dir(run);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(run.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_TRUE(run_dir_unchanged(run, *made));
  ::chmod(run.c_str(), 0777);
  EXPECT_FALSE(prepare_run_dir(run));
  ::rmdir(run.c_str());
  EXPECT_FALSE(run_dir_unchanged(run, *made));
}

TEST_F(RunDirFiles, PidFileSymlinkIsNotFollowed) {
  const std::string victim = dir_ + "/victim";
  { std::ofstream(victim) << "precious\n"; }
  const std::string pid_path = dir_ + "/lvsctl.pid";
  ASSERT_EQ(::symlink(victim.c_str(), pid_path.c_str()), 0);
  auto pid = PidFile::acquire(pid_path);
  ASSERT_FALSE(pid);
  EXPECT_NE(pid.error().message.find("symbolic link"), std::string::npos) << pid.error().message;
  EXPECT_EQ(read(victim), "precious\n");
}

TEST_F(RunDirFiles, PidFileHardLinkIsRefused) {
  const std::string victim = dir_ + "/victim";
  { std::ofstream(victim) << "precious\n"; }
  const std::string pid_path = dir_ + "/lvsctl.pid";
  ASSERT_EQ(::link(victim.c_str(), pid_path.c_str()), 0);
  EXPECT_FALSE(PidFile::acquire(pid_path));
  EXPECT_EQ(read(victim), "precious\n");
}

TEST_F(RunDirFiles, PidFileReplacedIsNotRemovedOnExit) {
  const std::string pid_path = dir_ + "/lvsctl.pid";
  {
    auto pid = PidFile::acquire(pid_path);
    ASSERT_TRUE(pid) << pid.error().message;
    EXPECT_TRUE(pid->still_ours());
    EXPECT_EQ(read(pid_path), std::to_string(::getpid()) + "\n");
    ::unlink(pid_path.c_str());
    { std::ofstream(pid_path) << "4242\n"; }  // another daemon's
    EXPECT_FALSE(pid->still_ours());
  }
  EXPECT_EQ(read(pid_path), "4242\n");
  {
    auto pid = PidFile::acquire(pid_path);  // stale file: reused, removed on exit
    ASSERT_TRUE(pid) << pid.error().message;
  }
  EXPECT_NE(::access(pid_path.c_str(), F_OK), 0);
}

TEST_F(RunDirFiles, DumpFileNeverFollowsASymlinkNorOpensAFifo) {
  const std::string victim = dir_ + "/victim";
  { std::ofstream(victim) << "precious\n"; }
  const std::string link = dir_ + "/keepalived.data";
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  EXPECT_FALSE(write_dump_file(link, "dump\n"));
  EXPECT_EQ(read(victim), "precious\n");
  const std::string fifo = dir_ + "/keepalived.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(write_dump_file(fifo, "dump\n"));  // returns at once (no reader: ENXIO)
  const std::string plain = dir_ + "/keepalived.stats";
  { std::ofstream(plain) << std::string(100, 'x'); }
  ASSERT_TRUE(write_dump_file(plain, "dump\n"));
  EXPECT_EQ(read(plain), "dump\n");
  struct stat st {};
  ASSERT_EQ(::stat(plain.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

}  // namespace
}  // namespace lvsctl::director
