// The sysctl adapter against a directory of the test's own (never /proc/sys).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include "shared/sysctl.hpp"

namespace lvsctl {
namespace {

class RealserverSysctlAdapter : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lvsctl-sysctl-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    std::filesystem::create_directories(root_ / "net/ipv4/conf/all");
    std::ofstream(root_ / "net/ipv4/conf/all/arp_ignore") << "0\n";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(RealserverSysctlAdapter, MapsDottedNamesToPaths) {
  EXPECT_EQ(*sysctl::path_of("net.ipv4.conf.all.arp_ignore", "/r"),
            "/r/net/ipv4/conf/all/arp_ignore");
  for (const char* bad : {"", "net..x", ".net", "net.", "net/ipv4"}) {
    const auto r = sysctl::path_of(bad, "/r");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_NE(r.error().message.find(std::string("'") + bad + "'"), std::string::npos);
  }
}

TEST_F(RealserverSysctlAdapter, ReadsTrimmedAndWritesWithNewline) {
  EXPECT_EQ(*sysctl::read("net.ipv4.conf.all.arp_ignore", root_), "0");
  ASSERT_TRUE(sysctl::write("net.ipv4.conf.all.arp_ignore", "1", root_));
  std::ifstream in(root_ / "net/ipv4/conf/all/arp_ignore");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "1\n");
  EXPECT_EQ(*sysctl::read("net.ipv4.conf.all.arp_ignore", root_), "1");
}

TEST_F(RealserverSysctlAdapter, UnknownKeyIsEnoentNamingIt) {
  const auto r = sysctl::read("net.ipv4.conf.all.nope", root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ENOENT);
  EXPECT_NE(r.error().message.find("net.ipv4.conf.all.nope"), std::string::npos);
  const auto w = sysctl::write("net.ipv4.conf.all.nope", "1", root_);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ENOENT);
}

TEST_F(RealserverSysctlAdapter, ReadsTheRealProcSysWithoutWriting) {
  // Reading is harmless; every namespace has this key.
  const auto r = sysctl::read("net.ipv4.conf.all.arp_ignore");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->empty());
}

}  // namespace
}  // namespace lvsctl
