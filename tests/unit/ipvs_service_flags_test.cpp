// IPVS service flags end to end in the pure layers: keepalived.conf keywords (ops, flag-1..3,
// sh-port, sh-fallback, mh-port, mh-fallback) -> config model -> desired IPVS table flags
// (IP_VS_SVC_F_ONEPACKET, SCHED1..3). keepalived 2.2.7's reading is followed: sh-/mh- flags
// count only after 'lvs_sched sh'/'mh' in the same block, and 'ops' only for UDP or fwmark
// services. The kernel side is checked against keepalived in tests/vm/director_oracle_test.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "director/config/load.hpp"
#include "director/config/summary.hpp"
#include "director/daemon/ipvs_desired.hpp"
#include "director/ipvs/plan.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using ::testing::HasSubstr;
namespace flag = ipvs::service_flag;

config::ParsedConfig parse(const std::string& body,
                           const std::string& head = "virtual_server 198.51.100.20 80") {
  conf::MemorySources files;
  return config::parse_config(
      head + " {\n" + body + "    real_server 203.0.113.41 80 {\n        weight 1\n    }\n}\n",
      "test.conf", files);
}

std::string all(const conf::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += conf::format(d) + "\n";
  return out;
}

// The flags of the one service the config describes.
std::uint32_t flags_of(const config::ParsedConfig& p) {
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p.diags);
  const auto table = desired_table(p.config, all_healthy(p.config));
  EXPECT_EQ(table.size(), 1u);
  return table.empty() ? ~0U : table[0].flags;
}

}  // namespace

TEST(IpvsServiceFlags, ShPortAndFallbackAfterLvsSchedSh) {
  auto p = parse("    protocol TCP\n    lvs_sched sh\n    sh-port\n    sh-fallback\n");
  EXPECT_EQ(flags_of(p), flag::sched1 | flag::sched2);
  EXPECT_EQ(p.config.virtual_servers[0].scheduler_flags, 3);
  EXPECT_THAT(config::summarize(p.config), HasSubstr("sh sh-fallback sh-port"));
  // The deprecated spelling of the scheduler keyword works the same way.
  EXPECT_EQ(flags_of(parse("    protocol TCP\n    lb_algo sh\n    sh-port\n")), flag::sched2);
}

TEST(IpvsServiceFlags, MhFlagsAreTheSameKernelBits) {
  auto p = parse("    protocol TCP\n    lvs_sched mh\n    mh-fallback\n    mh-port\n");
  EXPECT_EQ(flags_of(p), flag::sched1 | flag::sched2);
}

TEST(IpvsServiceFlags, NumberedFlagsApplyToAnyScheduler) {
  auto p = parse("    protocol TCP\n    flag-3\n    lvs_sched rr\n    flag-1\n");
  EXPECT_EQ(flags_of(p), flag::sched1 | flag::sched3);
  EXPECT_THAT(config::summarize(p.config), HasSubstr("rr flag-1 flag-3"));
}

TEST(IpvsServiceFlags, ShFlagBeforeLvsSchedOrWithAnotherSchedulerIsIgnoredWithAWarning) {
  // keepalived 2.2.7 checks the scheduler read so far: before 'lvs_sched sh' it ignores the flag.
  auto before = parse("    protocol TCP\n    sh-port\n    lvs_sched sh\n");
  EXPECT_EQ(flags_of(before), 0u);
  EXPECT_THAT(all(before.diags),
              HasSubstr("test.conf:3:5: warning: 'sh-port' ignored: it applies only after "
                        "'lvs_sched sh' in the same virtual_server"));
  auto other = parse("    protocol TCP\n    lvs_sched rr\n    mh-fallback\n");
  EXPECT_EQ(flags_of(other), 0u);
  EXPECT_THAT(all(other.diags), HasSubstr("test.conf:4:5: warning: 'mh-fallback' ignored"));
}

TEST(IpvsServiceFlags, OpsForUdpAndFwmarkServices) {
  EXPECT_EQ(flags_of(parse("    protocol UDP\n    lvs_sched rr\n    ops\n")), flag::one_packet);
  EXPECT_EQ(flags_of(parse("    lvs_sched rr\n    ops\n", "virtual_server fwmark 5")),
            flag::one_packet);
  // With persistence the flags add up.
  EXPECT_EQ(flags_of(parse("    protocol UDP\n    lvs_sched sh\n    sh-port\n    ops\n"
                           "    persistence_timeout 30\n")),
            flag::one_packet | flag::sched2 | flag::persistent);
}

TEST(IpvsServiceFlags, OpsOnTcpIsDroppedWithAWarningAsKeepalivedDoes) {
  auto p = parse("    protocol TCP\n    lvs_sched rr\n    ops\n");
  EXPECT_EQ(flags_of(p), 0u);
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:1:1: warning: virtual_server 198.51.100.20:80: "
                                      "'ops' (one-packet scheduling) needs protocol UDP"));
}

TEST(IpvsServiceFlags, FlagKeywordsTakeNoArgumentsAndHashedIsANoOp) {
  auto p = parse("    protocol TCP\n    lvs_sched sh\n    sh-port yes\n");
  EXPECT_THAT(all(p.diags), HasSubstr("test.conf:4:"));
  EXPECT_TRUE(conf::has_errors(p.diags));
  auto hashed = parse("    protocol TCP\n    lvs_sched rr\n    hashed\n");
  EXPECT_EQ(flags_of(hashed), 0u);
  EXPECT_THAT(all(hashed.diags), HasSubstr("test.conf:4:5: warning: 'hashed' has no effect"));
}

TEST(IpvsServiceFlags, AFlagChangeOnReloadIsOneServiceEdit) {
  auto before = parse("    protocol TCP\n    lvs_sched sh\n");
  auto after = parse("    protocol TCP\n    lvs_sched sh\n    sh-port\n");
  const auto ops = ipvs::plan(desired_table(after.config, all_healthy(after.config)),
                              desired_table(before.config, all_healthy(before.config)));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, ipvs::OpKind::EditService);
  EXPECT_EQ(ops[0].to_string(), "edit service TCP 198.51.100.20:80 (sh, sh-port)");
}

}  // namespace lvsctl::director
