// vrrp_signature decides which instances a reload keeps running untouched: everything a running
// instance started with must be in it.
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/daemon/vrrp_signature.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

std::string signature(const std::string& global, const std::string& script) {
  conf::MemorySources files;
  const std::string text = "global_defs {\n" + global + "\n}\nvrrp_script chk {\n    script \"" +
                           script +
                           "\"\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                           "    track_script {\n        chk\n    }\n    virtual_ipaddress {\n"
                           "        203.0.113.10\n    }\n}\n";
  auto parsed = config::parse_config(text, "test.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags));
  return vrrp_signature(parsed.config, parsed.config.vrrp_instances.at(0));
}

TEST(VrrpSignature, SameConfigSameSignature) {
  EXPECT_EQ(signature("router_id a", "/bin/true"), signature("router_id a", "/bin/true"));
}

TEST(VrrpSignature, TrackedScriptCommandChangesIt) {
  EXPECT_NE(signature("router_id a", "/bin/true"), signature("router_id a", "/bin/false"));
}

TEST(VrrpSignature, ScriptSecuritySettingsChangeIt) {
  const auto base = signature("router_id a", "/bin/true");
  EXPECT_NE(base, signature("router_id a\n    enable_script_security", "/bin/true"));
  EXPECT_NE(base, signature("router_id a\n    script_user nobody", "/bin/true"));
}

}  // namespace
}  // namespace lvsctl::director
