// --log-facility takes keepalived's -S values.
#include <gtest/gtest.h>
#include <syslog.h>

#include "shared/logging.hpp"

namespace lvsctl {
namespace {

TEST(LogFacility, KeepalivedNumbersAndNames) {
  EXPECT_EQ(parse_log_facility("0").value(), LOG_LOCAL0);
  EXPECT_EQ(parse_log_facility("7").value(), LOG_LOCAL7);
  EXPECT_EQ(parse_log_facility("local3").value(), LOG_LOCAL3);
  EXPECT_EQ(parse_log_facility("daemon").value(), LOG_DAEMON);
  EXPECT_EQ(parse_log_facility("user").value(), LOG_USER);
}

TEST(LogFacility, RejectsOthersNamingTheValue) {
  for (const char* bad : {"8", "local8", "-1", "", "local", "01", "kern", "local 1", "1x"}) {
    auto r = parse_log_facility(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("'" + std::string(bad) + "'"), std::string::npos);
  }
}

TEST(LogFacility, CommandLineQuotesWhatAShellWould) {
  const char* argv[] = {"lvsctl", "director", "run", "-f", "/etc/my conf", "it's"};
  record_command_line(6, argv);
  EXPECT_EQ(command_line(), "lvsctl director run -f '/etc/my conf' 'it'\\''s'");
}

}  // namespace
}  // namespace lvsctl
