// check-config --host: interfaces and scripts the file names, checked against a host (fake
// facts here; the netns test runs the real command).
#include <gtest/gtest.h>

#include <set>

#include "director/config/load.hpp"
#include "director/host_check.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

config::Config parse(const std::string& text) {
  conf::MemorySources files;
  auto parsed = config::parse_config(text, "k.conf", files);
  EXPECT_FALSE(conf::has_errors(parsed.diags)) << conf::format(parsed.diags.at(0));
  return parsed.config;
}

HostFacts host(std::set<std::string> interfaces, std::set<std::string> programs) {
  HostFacts h;
  h.interface_exists = [interfaces](const std::string& n) { return interfaces.count(n) > 0; };
  h.script_runnable = [programs](const std::string& c) -> Status {
    const auto program = c.substr(0, c.find(' '));
    if (programs.count(program)) return {};
    return Error{"no such program", 2};
  };
  return h;
}

const std::string kConfig =
    "vrrp_script chk {\n"                         // 1
    "    script \"/usr/local/bin/chk --fast\"\n"  // 2
    "}\n"                                         // 3
    "vrrp_instance VI_1 {\n"                      // 4
    "    interface eth9\n"                        // 5
    "    virtual_router_id 51\n"                  // 6
    "    track_interface {\n"                     // 7
    "        eth8\n"                              // 8
    "    }\n"                                     // 9
    "    track_script {\n"                        // 10
    "        chk\n"                               // 11
    "    }\n"                                     // 12
    "    notify_master /etc/lvs/master.sh\n"      // 13
    "    virtual_ipaddress {\n"                   // 14
    "        203.0.113.10\n"                      // 15
    "    }\n"                                     // 16
    "}\n";

TEST(HostCheck, EverythingPresentIsClean) {
  const auto diags = host_diagnostics(
      parse(kConfig), host({"eth9", "eth8"}, {"/usr/local/bin/chk", "/etc/lvs/master.sh"}));
  EXPECT_TRUE(diags.empty());
}

TEST(HostCheck, MissingInterfacesAndScriptsAreErrorsAtTheirLines) {
  const auto diags = host_diagnostics(parse(kConfig), host({"eth8"}, {"/etc/lvs/master.sh"}));
  ASSERT_EQ(diags.size(), 2u);
  std::vector<std::string> lines;
  for (const auto& d : diags) lines.push_back(conf::format(d));
  EXPECT_EQ(
      lines[0],
      "k.conf:5:15: error: interface 'eth9' (vrrp_instance VI_1) does not exist on this "
      "host (add dynamic_interfaces to global_defs to let the instance wait in FAULT for it)");
  EXPECT_EQ(lines[1],
            "k.conf:2:5: error: vrrp_script chk '/usr/local/bin/chk --fast' cannot run on this "
            "host: no such program");
}

TEST(HostCheck, DynamicInterfacesMakesAMissingInterfaceAWarning) {
  const auto diags = host_diagnostics(parse("global_defs {\n    dynamic_interfaces\n}\n" + kConfig),
                                      host({}, {"/usr/local/bin/chk", "/etc/lvs/master.sh"}));
  ASSERT_EQ(diags.size(), 2u);  // eth9 and the tracked eth8
  for (const auto& d : diags) EXPECT_EQ(d.severity, conf::Severity::Warning);
  EXPECT_FALSE(conf::has_errors(diags));
}

TEST(HostCheck, DynamicInterfacesRejectsUnknownOption) {
  conf::MemorySources files;
  auto parsed =
      config::parse_config("global_defs {\n    dynamic_interfaces sometimes\n}\n", "k.conf", files);
  ASSERT_TRUE(conf::has_errors(parsed.diags));
  EXPECT_NE(conf::format(parsed.diags.at(0)).find("unknown dynamic_interfaces option 'sometimes'"),
            std::string::npos);
  auto ok = config::parse_config("global_defs {\n    dynamic_interfaces allow_if_changes\n}\n",
                                 "k.conf", files);
  EXPECT_FALSE(conf::has_errors(ok.diags));
  EXPECT_TRUE(ok.config.global.dynamic_interfaces);
}

TEST(HostCheck, ThisHostFindsRealProgramsAndRefusesMissingOnes) {
  const auto h = this_host();
  EXPECT_TRUE(h.script_runnable("/bin/true --x").ok());
  EXPECT_TRUE(h.script_runnable("true").ok());  // PATH lookup, as the daemon runs it
  EXPECT_FALSE(h.script_runnable("/nonexistent/lvsctl-test-script").ok());
  EXPECT_TRUE(h.interface_exists("lo"));
  EXPECT_FALSE(h.interface_exists("lvsctl-none0"));
}

}  // namespace
}  // namespace lvsctl::director
