// run_program: a command run to completion with its output captured, bounded by a deadline.
#include "shared/run_program.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace lvsctl {
namespace {

using namespace std::chrono_literals;

TEST(RunProgram, CapturesOutputAndExitCode) {
  auto r = run_program({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
}

TEST(RunProgram, StdinIsEmpty) {
  auto r = run_program({"cat"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->out, "");
  EXPECT_EQ(r->exit_code, 0);
}

TEST(RunProgram, KilledBySignalIs128PlusSignal) {
  auto r = run_program({"sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->exit_code, 128 + 9);
}

TEST(RunProgram, MissingProgramIsAnErrorNamingIt) {
  auto r = run_program({"lvsctl-no-such-program"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ENOENT);
  EXPECT_NE(r.error().message.find("lvsctl-no-such-program"), std::string::npos);
}

TEST(RunProgram, ProgramPastItsDeadlineIsKilled) {
  auto r = run_program({"sleep", "30"}, 200ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ETIMEDOUT);
}

TEST(RunProgram, ProgramThatClosesItsOutputStillHasADeadline) {
  auto r = run_program({"sh", "-c", "exec >&- 2>&-; sleep 30"}, 200ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ETIMEDOUT);
}

TEST(RunProgram, AdminProgramsAreFoundOutsidePath) {
  // ip lives in /usr/sbin (iproute2 is a build dependency); PATH may lack sbin for non-root.
  auto found = find_admin_program("ip");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_NE(found->find("/ip"), std::string::npos);
}

}  // namespace
}  // namespace lvsctl
