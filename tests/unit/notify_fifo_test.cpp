// NotifyFifo: keepalived's line format, and a FIFO without a reader (or a stalled one) never
// blocks the writer: lines that do not fit are dropped whole and counted.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "director/daemon/notify_fifo.hpp"

namespace lvsctl::director {
namespace {

std::string temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fifo.XXXXXX").string();
  return ::mkdtemp(pattern.data());
}

TEST(NotifyFifo, KeepalivedsLineFormat) {
  EXPECT_EQ(notify_fifo_line("INSTANCE", "VI_1", "MASTER", 100), "INSTANCE \"VI_1\" MASTER 100");
  EXPECT_EQ(notify_fifo_line("GROUP", "G1", "FAULT", 0), "GROUP \"G1\" FAULT 0");
}

TEST(NotifyFifo, NoReaderNeverBlocksAndCountsDrops) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/fifo";
  auto fifo = NotifyFifo::open(path);  // created: nobody reads it
  ASSERT_TRUE(fifo) << fifo.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  for (int i = 0; i < 20000; ++i) fifo->write_line(notify_fifo_line("INSTANCE", "VI_1", "MASTER", 100));
  EXPECT_GT(fifo->written(), 0U);   // the pipe buffer took some
  EXPECT_GT(fifo->dropped(), 0U);   // the rest was dropped, the call returned
  EXPECT_EQ(fifo->written() + fifo->dropped(), 20000U);
  // A reader now gets whole lines only.
  const int r = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(r, 0);
  std::array<char, 64> buf{};
  const ssize_t n = ::read(r, buf.data(), 28);
  ASSERT_EQ(n, 28);
  EXPECT_EQ(std::string(buf.data(), 28), "INSTANCE \"VI_1\" MASTER 100\nI");
  ::close(r);
  std::filesystem::remove_all(dir);
}

TEST(NotifyFifo, RefusesWhatIsNotAFifo) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/file";
  { std::FILE* f = std::fopen(path.c_str(), "w"); ASSERT_NE(f, nullptr); std::fclose(f); }
  auto fifo = NotifyFifo::open(path);
  ASSERT_FALSE(fifo);
  EXPECT_NE(fifo.error().message.find("regular file, not a FIFO"), std::string::npos)
      << fifo.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lvsctl::director
