// Notify scripts of a VRRP instance are vetted per (command, user, group): one command named
// twice with different users runs as each of them (not as whichever was vetted first).
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/script_security.hpp"
#include "director/daemon/vrrp_mapping.hpp"
#include "director/daemon/vrrp_script.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

TEST(VrrpNotifyScripts, OneCommandWithTwoUsersRunsAsEach) {
  conf::MemorySources files;
  const std::string text = R"(
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        203.0.113.100
    }
    notify_master "/bin/true" nobody
    notify_backup "/bin/true" root
}
)";
  auto parsed = config::parse_config(text, "k.conf", files);
  ASSERT_FALSE(conf::has_errors(parsed.diags));
  const auto& instance = parsed.config.vrrp_instances.at(0);
  auto machine = vrrp_instance_config(parsed.config, instance, *IpAddress::parse("203.0.113.104"));
  const InstanceScripts scripts = vetted_scripts(parsed.config, instance, machine);
  ASSERT_EQ(scripts.notify.size(), 2u);
  EXPECT_EQ(scripts.notify.at(vetting_key(*instance.notify.master)).uid, 65534u);  // nobody
  EXPECT_EQ(scripts.notify.at(vetting_key(*instance.notify.backup)).uid, 0u);
}

}  // namespace
}  // namespace lvsctl::director
