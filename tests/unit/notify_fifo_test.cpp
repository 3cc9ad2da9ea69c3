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

#include "director/config/load.hpp"
#include "director/daemon/notify_fifo.hpp"
#include "shared/conf/source_files.hpp"

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

TEST(NotifyFifoConfig, GlobalDefsKeywords) {
  conf::MemorySources files;
  auto p = config::parse_config(
      "global_defs {\n    notify_fifo /run/k.fifo\n    notify_fifo_script /bin/reader\n"
      "    vrrp_notify_fifo /run/v.fifo root\n    vrrp_notify_fifo_script /bin/v\n}\n",
      "g.conf", files);
  EXPECT_FALSE(conf::has_errors(p.diags));
  EXPECT_EQ(p.config.global.notify_fifo, "/run/k.fifo");
  ASSERT_TRUE(p.config.global.notify_fifo_script);
  EXPECT_EQ(p.config.global.notify_fifo_script->command, "/bin/reader");
  EXPECT_EQ(p.config.global.vrrp_notify_fifo, "/run/v.fifo");
  bool owner_warned = false;
  for (const auto& d : p.diags) {
    owner_warned = owner_warned || d.message.find("FIFO's owner (root) is not set") != std::string::npos;
  }
  EXPECT_TRUE(owner_warned);
  p = config::parse_config("global_defs {\n    notify_fifo relative\n}\n", "g.conf", files);
  ASSERT_TRUE(conf::has_errors(p.diags));
  EXPECT_EQ(conf::format(p.diags.front()).rfind("g.conf:2:17: error: 'notify_fifo' needs an absolute path", 0), 0U)
      << conf::format(p.diags.front());
}

// keepalived 2.2.7 check/ipwrapper.c: "VS %s %s" with format_vs and "RS %s %s %s" with
// format_rs, whose addresses are inet_sockaddrtotrio: "[ADDR]:proto:PORT".
TEST(NotifyFifo, KeepalivedsCheckerLines) {
  conf::MemorySources files;
  auto p = config::parse_config(
      "virtual_server 203.0.113.1 80 {\n    protocol TCP\n    lvs_sched rr\n"
      "    real_server 192.0.2.10 8080 {\n    }\n}\n"
      "virtual_server 2001:db8::1 53 {\n    protocol UDP\n    lvs_sched rr\n"
      "    real_server 2001:db8::10 53 {\n    }\n}\n"
      "virtual_server fwmark 5 {\n    lvs_sched rr\n    real_server 192.0.2.11 443 {\n    }\n}\n"
      "virtual_server_group G1 {\n    203.0.113.2 80\n}\n"
      "virtual_server group G1 {\n    protocol TCP\n    lvs_sched rr\n"
      "    real_server 192.0.2.12 80 {\n    }\n}\n",
      "v.conf", files);
  ASSERT_FALSE(conf::has_errors(p.diags));
  const auto& vs = p.config.virtual_servers;
  ASSERT_EQ(vs.size(), 4U);
  EXPECT_EQ(lvs_fifo_vs_line(vs[0], true), "VS [203.0.113.1]:tcp:80 UP");
  EXPECT_EQ(lvs_fifo_rs_line(vs[0], vs[0].real_servers[0], false),
            "RS [192.0.2.10]:tcp:8080 [203.0.113.1]:tcp:80 DOWN");
  EXPECT_EQ(lvs_fifo_vs_line(vs[1], false), "VS [2001:db8::1]:udp:53 DOWN");
  EXPECT_EQ(lvs_fifo_rs_line(vs[1], vs[1].real_servers[0], true),
            "RS [2001:db8::10]:udp:53 [2001:db8::1]:udp:53 UP");
  EXPECT_EQ(lvs_fifo_vs_line(vs[2], true), "VS FWM 5 UP");
  EXPECT_EQ(lvs_fifo_rs_line(vs[2], vs[2].real_servers[0], true),
            "RS [192.0.2.11]:none:443 FWM 5 UP");
  EXPECT_EQ(lvs_fifo_vs_line(vs[3], true), "VS [G1]:0 UP");
  EXPECT_EQ(lvs_fifo_rs_line(vs[3], vs[3].real_servers[0], false),
            "RS [192.0.2.12]:tcp:80 [G1]:0 DOWN");
}

TEST(NotifyFifoConfig, LvsNotifyFifoKeywords) {
  conf::MemorySources files;
  auto p = config::parse_config(
      "global_defs {\n    lvs_notify_fifo /run/l.fifo\n    lvs_notify_fifo_script /bin/l\n}\n",
      "g.conf", files);
  EXPECT_FALSE(conf::has_errors(p.diags));
  for (const auto& d : p.diags) {
    EXPECT_EQ(d.message.find("lvs_notify_fifo"), std::string::npos) << conf::format(d);
  }
  EXPECT_EQ(p.config.global.lvs_notify_fifo, "/run/l.fifo");
  ASSERT_TRUE(p.config.global.lvs_notify_fifo_script);
  EXPECT_EQ(p.config.global.lvs_notify_fifo_script->command, "/bin/l");
  p = config::parse_config("global_defs {\n    lvs_notify_fifo l.fifo\n}\n", "g.conf", files);
  ASSERT_TRUE(conf::has_errors(p.diags));
  EXPECT_EQ(conf::format(p.diags.front()),
            "g.conf:2:21: error: 'lvs_notify_fifo' needs an absolute path, got 'l.fifo'");
}

}  // namespace
}  // namespace lvsctl::director
