// sysctl::read_conf / write_conf: per-interface keys for names with dots ("vrrp.51", the default
// VMAC name), which a dotted sysctl key cannot spell.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "shared/sysctl.hpp"

namespace lvsctl {
namespace {

class SysctlInterfaceConf : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lvsctl-sysctl-conf-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    std::filesystem::create_directories(root_ / "net/ipv4/conf/vrrp.51");
    std::ofstream(root_ / "net/ipv4/conf/vrrp.51/arp_ignore") << "0\n";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(SysctlInterfaceConf, InterfaceNameWithADotIsOneComponent) {
  EXPECT_EQ(*sysctl::read_conf("ipv4", "vrrp.51", "arp_ignore", root_), "0");
  ASSERT_TRUE(sysctl::write_conf("ipv4", "vrrp.51", "arp_ignore", "1", root_));
  EXPECT_EQ(*sysctl::read_conf("ipv4", "vrrp.51", "arp_ignore", root_), "1");
}

TEST_F(SysctlInterfaceConf, HostileInterfaceNamesAreRefused) {
  for (const char* bad : {"", ".", "..", "../../x", "a/b"}) {
    const auto r = sysctl::write_conf("ipv4", bad, "arp_ignore", "1", root_);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, EINVAL) << bad;
  }
  EXPECT_FALSE(sysctl::read_conf("ipv4", "vrrp.51", "../x", root_));
}

TEST_F(SysctlInterfaceConf, MissingInterfaceIsEnoent) {
  const auto r = sysctl::read_conf("ipv4", "vrrp.52", "arp_ignore", root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ENOENT);
}

}  // namespace
}  // namespace lvsctl
