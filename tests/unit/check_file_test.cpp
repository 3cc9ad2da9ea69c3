// FILE_CHECK (keepalived 2.2.7 check_file.c / track_file.c, keepalived.conf(5) "Track files"):
// the keywords and their errors, the status of a value (weight 0, reverse, value x weight,
// FAULT), the real server's weight arithmetic, keepalived's reading of the file's content
// (strtol base 0, compared with the C library's own strtol), and the feed on real files in a
// temporary directory (inotify, FIFO, directory, huge file, deleted and recreated).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "director/check/file_check.hpp"
#include "director/check/from_config.hpp"
#include "director/check/real_server_health.hpp"
#include "director/config/load.hpp"
#include "director/daemon/file_check_feed.hpp"
#include "director/daemon/track_file_watcher.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr std::int64_t kFault = INT32_MIN;

// ---- the status of a value ----------------------------------------------------------------

TEST(FileCheckStatus, KeepalivedsRules) {
  using check::file_check_status;
  EXPECT_EQ(file_check_status(0, 0, false), 0);        // weight 0: zero is up
  EXPECT_EQ(file_check_status(7, 0, false), kFault);   // ... non-zero is down
  EXPECT_EQ(file_check_status(-1, 0, false), kFault);
  EXPECT_EQ(file_check_status(0, 0, true), kFault);    // reversed: zero is down
  EXPECT_EQ(file_check_status(7, 0, true), 0);
  EXPECT_EQ(file_check_status(5, 10, false), 50);      // value x weight
  EXPECT_EQ(file_check_status(5, 10, true), -50);      // negated with reverse
  EXPECT_EQ(file_check_status(-5, -10, false), 50);
  EXPECT_EQ(file_check_status(0, 10, false), 0);       // zero adds nothing (still up)
  EXPECT_EQ(file_check_status(-1000, 1, false), -1000);  // negative: up, weight lowered
  // Only the int range's bottom is FAULT (keepalived's IPVS_WEIGHT_FAULT).
  EXPECT_EQ(file_check_status(-2147483647, 1, false), -2147483647);
  EXPECT_EQ(file_check_status(-2147483648LL, 1, false), kFault);
  EXPECT_EQ(file_check_status(-2, 2147483647, false), kFault);  // clamped to INT_MIN
  EXPECT_EQ(file_check_status(2147483648LL, 2147483647, false), INT32_MAX);  // no overflow
  EXPECT_EQ(file_check_status(2147483648LL, 1, true), kFault);
}

TEST(FileCheckVerdict, ReasonNamesFileValueAndSum) {
  auto r = check::judge_file_value("load", 5, 10, false);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.weight_change, 50);
  EXPECT_EQ(r.reason, "track_file load: value 5 x weight 10 = 50");
  r = check::judge_file_value("load", 5, 10, true);
  EXPECT_EQ(r.reason, "track_file load: value 5 x weight -10 (reverse) = -50");
  EXPECT_EQ(r.weight_change, -50);
  r = check::judge_file_value("stop", 1, 0, false);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.weight_change, 0);
  EXPECT_EQ(r.reason, "track_file stop: value 1 (weight 0: a non-zero value is down)");
  r = check::judge_file_value("go", 0, 0, true);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.reason, "track_file go: value 0 (weight 0 reverse: a zero value is down)");
  r = check::judge_file_value("load", -2147483648LL, 1, false);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.weight_change, 0);
  EXPECT_THAT(r.reason, HasSubstr("(FAULT)"));
}

// ---- the real server's weight -------------------------------------------------------------

check::Checker file_checker(const std::string& name, int weight, bool reverse = false) {
  check::Checker c = config::default_checker(config::CheckerKind::File);
  auto& f = std::get<config::FileCheck>(c.spec);
  f.track_file = name;
  f.weight = weight;
  f.reverse = reverse;
  c.retry = 0;
  return c;
}

check::RealServerConfig server(std::vector<check::Checker> checkers, int weight) {
  return check::real_server_config(check::Endpoint{*IpAddress::parse("203.0.113.101"), 80},
                                   std::move(checkers), weight);
}

TEST(FileCheckHealth, ValueMovesWeightFaultTakesDownOncePerTransition) {
  check::RealServerHealth h(server({file_checker("load", 2)}, 10));
  EXPECT_TRUE(h.healthy());
  EXPECT_EQ(h.weight(), 10);
  auto out = h.record(0, check::judge_file_value("load", 0, 2, false), {});
  EXPECT_FALSE(out.transition.has_value()) << "value 0 x 2 adds nothing";
  out = h.record(0, check::judge_file_value("load", 5, 2, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_EQ(out.transition->weight, 20);
  EXPECT_EQ(out.transition->message,
            "203.0.113.101:80 weight 10 -> 20: track_file load: value 5 x weight 2 = 10");
  out = h.record(0, check::judge_file_value("load", 5, 2, false), {});
  EXPECT_FALSE(out.transition.has_value()) << "the same value again is no transition";
  out = h.record(0, check::judge_file_value("load", -8, 2, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy) << "negative is not FAULT: up with weight 0";
  EXPECT_EQ(out.transition->weight, 0);
  out = h.record(0, check::judge_file_value("load", -2147483648LL, 2, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_FALSE(out.transition->healthy);
  EXPECT_EQ(out.transition->message,
            "203.0.113.101:80 DOWN: track_file load: value -2147483648 x weight 2 = -2147483648 "
            "(FAULT)")
      << "retry 0: no retry suffix";
  out = h.record(0, check::judge_file_value("load", 1, 2, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_EQ(out.transition->weight, 12);
}

TEST(FileCheckHealth, WeightZeroIsUpDownAndSeveralCheckersAdd) {
  config::Checker misc = config::default_checker(config::CheckerKind::Misc);
  std::get<config::MiscCheck>(misc.spec).dynamic = true;
  check::RealServerHealth h(server({file_checker("stop", 0), file_checker("load", 100), misc}, 10));
  EXPECT_FALSE(h.record(0, check::judge_file_value("stop", 0, 0, false), {}).transition);
  auto out = h.record(0, check::judge_file_value("stop", 3, 0, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_FALSE(out.transition->healthy);
  out = h.record(1, check::judge_file_value("load", 7, 100, false), {});
  EXPECT_FALSE(out.transition.has_value()) << "weight changes while down are not transitions";
  EXPECT_EQ(h.weight(), 710);
  out = h.record(0, check::judge_file_value("stop", 0, 0, false), {});
  ASSERT_TRUE(out.transition.has_value());
  EXPECT_TRUE(out.transition->healthy);
  EXPECT_EQ(out.transition->weight, 710);
  // MISC_CHECK misc_dynamic sets its share (exit - 2 - configured), the file adds its own.
  out = h.record(2, check::ProbeResult::up("script exited 7 (weight 5)", 5), {});
  EXPECT_EQ(h.weight(), 705);
  // Kept in lvsctl's weight range.
  h.record(1, check::judge_file_value("load", 2147483647, 100, false), {});
  EXPECT_EQ(h.weight(), 65535);
}

// ---- the file's content, as keepalived reads it ---------------------------------------------

// What keepalived 2.2.7 makes of `content`: strtol(first 127 bytes, NULL, 0), ignored when
// errno is set or the value is outside INT32_MIN..INT32_MAX + 1.
TrackFileValue keepalived_reading(const std::string& content) {
  std::string buf = content.substr(0, kTrackFileReadBytes);
  errno = 0;
  const long v = std::strtol(buf.c_str(), nullptr, 0);
  TrackFileValue out;
  out.value = v;
  out.valid = errno == 0 && v >= static_cast<long>(INT32_MIN) &&
              v <= static_cast<long>(INT32_MAX) + 1;
  return out;
}

TEST(TrackFileContent, AsStrtolBaseZero) {
  const std::vector<std::string> cases = {
      "42\n", "  -7 trailing", "+3", "", "abc", "-", "+", "0", "010", "08", "0x1f", "0X1F",
      "0x", "0xg", "-0x10", " \t\n\v\f\r12", "2147483647", "2147483648", "2147483649",
      "-2147483648", "-2147483649", "99999999999999", "99999999999999999999999999", "0x80000000",
      "0x80000001", "-0x80000000", "00000000000000000000000000000000000000000000000000000000005",
      std::string("5\0 9", 4), std::string("\0" "5", 2), "1e3", "3.7", "  - 4", "0b101", "-0",
      std::string(200, ' ') + "9", std::string(126, ' ') + "123", "12" + std::string(300, 'x')};
  for (const auto& c : cases) {
    const TrackFileValue ours = parse_track_file_value(c.substr(0, kTrackFileReadBytes));
    const TrackFileValue theirs = keepalived_reading(c);
    EXPECT_EQ(ours.valid, theirs.valid) << "'" << c << "'";
    if (theirs.valid) {
      EXPECT_EQ(ours.value, theirs.value) << "'" << c << "'";
    }
  }
  // Random strings over the characters that matter, each compared with strtol.
  std::mt19937 rng(18);
  const std::string alphabet = " \t\n+-0x1789aAfFgXz";
  for (int i = 0; i < 20000; ++i) {
    std::string c(rng() % 24, ' ');
    for (auto& ch : c) ch = alphabet[rng() % alphabet.size()];
    const TrackFileValue ours = parse_track_file_value(c);
    const TrackFileValue theirs = keepalived_reading(c);
    ASSERT_EQ(ours.valid, theirs.valid) << "'" << c << "'";
    if (theirs.valid) {
      ASSERT_EQ(ours.value, theirs.value) << "'" << c << "'";
    }
  }
  EXPECT_FALSE(parse_track_file_value("abc").number);
  EXPECT_TRUE(parse_track_file_value("0").number);
  EXPECT_EQ(parse_track_file_value("0x1f").value, 31);
  EXPECT_EQ(parse_track_file_value("010").value, 8);
}

// ---- the keywords -----------------------------------------------------------------------------

config::ParsedConfig parse(const std::string& text) {
  conf::MemorySources files;
  return config::parse_config(text, "f.conf", files);
}

std::string all(const config::ParsedConfig& p) {
  std::string out;
  for (const auto& d : p.diags) out += conf::format(d) + "\n";
  return out;
}

const std::string kTrackFiles =
    "track_file load {\n    file /run/load\n    weight -5 reverse\n}\n"  // lines 1-4
    "track_file stop {\n    file /run/stop\n    weight 0\n}\n";         // lines 5-8

std::string service(const std::string& checkers) {
  return "virtual_server 203.0.113.100 80 {\n    lvs_sched wrr\n    lvs_method NAT\n"
         "    protocol TCP\n    real_server 203.0.113.101 80 {\n        weight 3\n        retry 4\n"
         "        alpha\n" +
         checkers + "    }\n}\n";
}

TEST(FileCheckConfig, KeywordsAndTheTrackFilesWeight) {
  auto p = parse(kTrackFiles + service("        FILE_CHECK {\n            track_file load\n        }\n"
                                       "        FILE_CHECK {\n            track_file stop\n"
                                       "            weight 7 reverse\n        }\n"
                                       "        FILE_CHECK {\n            track_file load\n"
                                       "            weight 2 noreverse\n        }\n"));
  ASSERT_FALSE(conf::has_errors(p.diags)) << all(p);
  const auto plan = check::check_plan(p.config);
  const auto& checkers = plan.servers.at(0).checkers;
  ASSERT_EQ(checkers.size(), 3U);
  const auto& inherited = std::get<config::FileCheck>(checkers[0].spec);
  EXPECT_EQ(checkers[0].kind, config::CheckerKind::File);
  EXPECT_EQ(inherited.track_file, "load");
  EXPECT_EQ(inherited.weight, -5);  // the track_file's weight and reverse
  EXPECT_TRUE(inherited.reverse);
  const auto& own = std::get<config::FileCheck>(checkers[1].spec);
  EXPECT_EQ(own.weight, 7);
  EXPECT_TRUE(own.reverse);
  const auto& noreverse = std::get<config::FileCheck>(checkers[2].spec);
  EXPECT_EQ(noreverse.weight, 2);
  EXPECT_FALSE(noreverse.reverse);
  // None of the common options reach a FILE_CHECK: no retries, never alpha.
  EXPECT_EQ(checkers[0].retry, 0U);
  EXPECT_FALSE(checkers[0].alpha);
  EXPECT_EQ(plan.servers[0].weight, 3);
}

std::string errors_of(const std::string& file_check) {
  return all(parse(kTrackFiles + service(file_check)));
}

TEST(FileCheckConfig, BadBlocksAreErrorsWithTheirPlace) {
  EXPECT_THAT(errors_of("        FILE_CHECK {\n        }\n"),
              HasSubstr("f.conf:17:9: error: FILE_CHECK has no 'track_file'"));
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file nosuch\n        }\n"),
              HasSubstr("f.conf:18:13: error: FILE_CHECK of real_server 203.0.113.101 tracks file "
                        "'nosuch', but no track_file has that name"));
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file load\n"
                        "            weight 2147483648\n        }\n"),
              HasSubstr("f.conf:19:20: error"));
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file load\n"
                        "            weight 2 backwards\n        }\n"),
              HasSubstr("unexpected 'backwards' after weight (expected 'reverse' or 'noreverse')"));
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file load\n"
                        "            track_file stop\n        }\n"),
              HasSubstr("FILE_CHECK already tracks 'load'"));
  // keepalived's FILE_CHECK has none of the common checker keywords.
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file load\n"
                        "            retry 3\n        }\n"),
              HasSubstr("f.conf:19:13: error: unknown keyword 'retry' in FILE_CHECK"));
  EXPECT_THAT(errors_of("        FILE_CHECK {\n            track_file load\n"
                        "            dynamic\n        }\n"),
              HasSubstr("warning: 'dynamic' in FILE_CHECK is ignored"));
  EXPECT_THAT(errors_of("        FILE_CHECK track_file load\n"),
              HasSubstr("'FILE_CHECK' needs a { ... } block"));
}

TEST(FileCheckConfig, TrackFileBelowItsFileCheckWarnsOfKeepalivedsOrder) {
  auto p = parse(service("        FILE_CHECK {\n            track_file load\n        }\n") +
                 kTrackFiles);
  EXPECT_FALSE(conf::has_errors(p.diags)) << all(p);
  EXPECT_THAT(all(p), HasSubstr("f.conf:10:13: warning: track_file load is defined below this "
                                "FILE_CHECK (at line 14)"));
  EXPECT_THAT(all(parse(kTrackFiles + service("        FILE_CHECK {\n            track_file load\n"
                                              "        }\n"))),
              ::testing::Not(HasSubstr("defined below")));
}

TEST(BfdCheckConfig, RefusedWithWhatToDoInstead) {
  const std::string e = errors_of("        BFD_CHECK {\n            name b1\n        }\n");
  EXPECT_THAT(e, HasSubstr("f.conf:17:9: error: BFD is not available in lvsctl (no BFD sessions); "
                           "instead of BFD_CHECK check the real server with TCP_CHECK"));
  EXPECT_THAT(errors_of("        BFD_CHECK\n"), HasSubstr("BFD is not available in lvsctl"));
}

// ---- the feed, on real files ------------------------------------------------------------------

class FileFeed : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lvsctl-file-check-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "state").string();
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop.ok()) << loop.error().message;
    loop_ = std::move(*loop);
    config::VrrpTrackFile f;
    f.name = "state";
    f.path = path_;
    f.weight = 0;
    config_.vrrp_track_files.push_back(f);
    plan_.servers.push_back(server({file_checker("state", 3)}, 1));
    plan_.origins.push_back({0, 0});
  }
  void TearDown() override {
    feed_.reset();
    fs::remove_all(dir_);
  }

  void start() {
    feed_ = std::make_unique<FileCheckFeed>(
        *loop_, config_, plan_,
        [this](std::size_t s, std::size_t c, const check::ProbeResult& r) {
          EXPECT_EQ(s, 0U);
          EXPECT_EQ(c, 0U);
          seen_.push_back(r);
        });
    feed_->start(false);
  }
  // Runs the loop until a new result comes (or 5 s); the last result's weight change.
  std::optional<std::int64_t> next() {
    const std::size_t before = seen_.size();
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (seen_.size() == before && std::chrono::steady_clock::now() < end) {
      EXPECT_TRUE(loop_->run_once(20ms).ok());
    }
    if (seen_.size() == before) return std::nullopt;
    return seen_.back().weight_change;
  }
  // Runs the loop a while; true when no result came.
  bool quiet() {
    const std::size_t before = seen_.size();
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(loop_->run_once(20ms).ok());
    return seen_.size() == before;
  }
  void write(const std::string& text) {
    std::ofstream(path_, std::ios::trunc) << text;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<EventLoop> loop_;
  config::Config config_;
  check::CheckPlan plan_;
  std::unique_ptr<FileCheckFeed> feed_;
  std::vector<check::ProbeResult> seen_;
};

TEST_F(FileFeed, ReadAtStartThenOnEveryCloseMoveAndDelete) {
  write("4\n");
  start();
  ASSERT_EQ(seen_.size(), 1U) << "read once at start, synchronously";
  EXPECT_EQ(seen_[0].weight_change, 12);
  write("5\n");
  EXPECT_EQ(next(), 15);
  {  // moved in over it
    std::ofstream(path_ + ".tmp") << "-2";
    fs::rename(path_ + ".tmp", path_);
  }
  EXPECT_EQ(next(), -6);
  fs::remove(path_);
  EXPECT_EQ(next(), 0) << "deleted: 0";
  write("7");
  EXPECT_EQ(next(), 21) << "recreated";
  // A write still open is not read (keepalived reads on close, never a half-written file).
  {
    std::ofstream open_file(path_, std::ios::trunc);
    open_file << "9" << std::flush;
    EXPECT_TRUE(quiet()) << "read before the writer closed the file";
  }
  EXPECT_EQ(next(), 27);
  EXPECT_EQ(seen_.back().reason, "track_file state: value 9 x weight 3 = 27");
}

TEST_F(FileFeed, HostileFilesNeverStallAndReadAsKeepalivedDoes) {
  write("1");
  start();
  // Garbage: no number counts as 0; an out-of-range number is ignored (no report).
  write("garbage\n");
  EXPECT_EQ(next(), 0);
  write("99999999999\n");
  EXPECT_TRUE(quiet()) << "an out-of-range number must be ignored";
  write("0x10");
  EXPECT_EQ(next(), 48);
  // Huge: only the first 127 bytes are read (a 64 MiB sparse tail is never touched).
  {
    std::ofstream f(path_, std::ios::trunc);
    f << "2\n";
  }
  EXPECT_EQ(next(), 6);
  ASSERT_EQ(::truncate(path_.c_str(), 64L << 20), 0);
  {
    std::ofstream f(path_, std::ios::in | std::ios::out);
    f.seekp(100);
    f << "x";
  }
  EXPECT_EQ(next(), 6);
  // Replaced by a FIFO with no writer: never opened, counts as 0, nothing blocks.
  ASSERT_EQ(::mkfifo((path_ + ".fifo").c_str(), 0600), 0);
  fs::rename(path_ + ".fifo", path_);
  EXPECT_EQ(next(), 0);
  EXPECT_TRUE(seen_.back().success);
  fs::remove(path_);
  EXPECT_EQ(next(), 0);
  // A directory at its name is not the file: its events are skipped, as keepalived skips them.
  write("1");
  EXPECT_EQ(next(), 3);
  fs::remove(path_);
  EXPECT_EQ(next(), 0);
  fs::create_directory(path_);
  EXPECT_TRUE(quiet()) << "a directory created at the name was read";
  fs::remove(path_);
  EXPECT_TRUE(quiet()) << "a directory removed from the name was read";
  write("4");
  EXPECT_EQ(next(), 12);
}

}  // namespace
}  // namespace lvsctl::director
