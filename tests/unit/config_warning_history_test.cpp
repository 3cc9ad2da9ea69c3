// WarningHistory: a reload logs only the warnings the last load did not have.
#include <gtest/gtest.h>

#include "director/config/warning_history.hpp"

namespace config = lvsctl::director::config;
namespace conf = lvsctl::conf;

namespace {

conf::Diagnostic warning(const char* file, int line, const char* message) {
  return conf::Diagnostic{conf::Severity::Warning, conf::Location{file, line, 5}, message};
}

std::vector<std::string> messages(const config::WarningHistory::Split& split) {
  std::vector<std::string> out;
  for (const auto* d : split.fresh) out.push_back(conf::format(*d));
  return out;
}

const char* kDeprecated = "'lb_algo' is deprecated: use 'lvs_sched'";

}  // namespace

TEST(WarningHistory, FirstLoadLogsEverything) {
  config::WarningHistory history;
  conf::Diagnostics diags{warning("a.conf", 3, kDeprecated), warning("a.conf", 9, kDeprecated)};
  auto split = history.update(diags);
  EXPECT_EQ(split.fresh.size(), 2u);
  EXPECT_EQ(split.repeated, 0u);
}

TEST(WarningHistory, UnchangedReloadLogsNothingNewEvenWhenLinesMoved) {
  config::WarningHistory history;
  history.update({warning("a.conf", 3, kDeprecated), warning("a.conf", 9, kDeprecated)});
  auto split =
      history.update({warning("a.conf", 4, kDeprecated), warning("a.conf", 10, kDeprecated)});
  EXPECT_TRUE(split.fresh.empty());
  EXPECT_EQ(split.repeated, 2u);
}

TEST(WarningHistory, OnlyNewWarningsAndExtraOccurrencesAreFresh) {
  config::WarningHistory history;
  history.update({warning("a.conf", 3, kDeprecated)});
  conf::Diagnostics now{warning("a.conf", 3, kDeprecated), warning("a.conf", 7, kDeprecated),
                        warning("b.conf", 1, kDeprecated),
                        warning("a.conf", 8, "'nat_mask' is obsolete and ignored")};
  auto split = history.update(now);
  EXPECT_EQ(split.repeated, 1u);
  EXPECT_EQ(messages(split),
            (std::vector<std::string>{"a.conf:7:5: warning: " + std::string(kDeprecated),
                                      "b.conf:1:5: warning: " + std::string(kDeprecated),
                                      "a.conf:8:5: warning: 'nat_mask' is obsolete and ignored"}));
  // A warning that went away and comes back is fresh again.
  history.update({});
  EXPECT_EQ(history.update({warning("a.conf", 3, kDeprecated)}).fresh.size(), 1u);
}

TEST(WarningHistory, ErrorsAreNotCounted) {
  config::WarningHistory history;
  conf::Diagnostics diags{
      conf::Diagnostic{conf::Severity::Error, conf::Location{"a.conf", 1, 1}, "bad"}};
  auto split = history.update(diags);
  EXPECT_TRUE(split.fresh.empty());
  EXPECT_EQ(split.repeated, 0u);
}
