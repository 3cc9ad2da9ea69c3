// Hostile files behind a configuration: a FIFO nobody writes, /dev/zero, a 10 GB sparse file, a
// symbolic link to /dev/zero, a directory, /proc, and globs that would walk the whole disk. Each
// is refused at once with a clear error (file:line:col of the include), reading only a bounded
// amount: every test checks this process's peak RSS (ctest runs each test in its own process).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"
#include "shared/conf/source_manifest.hpp"
#include "shared/conf/statement.hpp"
#include "shared/regular_file.hpp"

namespace lvsctl::conf {
namespace {

// The most this process may have used at its peak: the test binary, gtest and a few bounded reads.
constexpr long kPeakRssLimitKb = 64 * 1024;

long peak_rss_kb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

class ConfHostileFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lvsctl-hostile-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    EXPECT_LT(peak_rss_kb(), kPeakRssLimitKb) << "peak RSS of this test, KiB";
  }

  std::string path(const std::string& relative) const { return dir_ + "/" + relative; }
  void write(const std::string& relative, const std::string& text) {
    std::ofstream(path(relative)) << text;
  }

  // Parses a main file holding `text` from disk; returns its diagnostics.
  Diagnostics parse_main(const std::string& text) {
    write("keepalived.conf", text);
    const std::string main = path("keepalived.conf");
    Result<std::string> read = files_.read(main);
    EXPECT_TRUE(read.ok());
    Diagnostics diags;
    parse_statements(read.value(), main, files_, diags);
    return diags;
  }

  // The one error of `diags`, which must be at keepalived.conf line `line`, column 1.
  static std::string only_error_at(const Diagnostics& diags, int line) {
    std::string all;
    for (const auto& d : diags) all += format(d) + "\n";
    EXPECT_EQ(diags.size(), 1u) << all;
    if (diags.empty()) return {};
    EXPECT_EQ(diags[0].severity, Severity::Error) << all;
    EXPECT_TRUE(diags[0].where.file.str().ends_with("/keepalived.conf")) << all;
    EXPECT_EQ(diags[0].where.line, line) << all;
    EXPECT_EQ(diags[0].where.column, 1) << all;
    return diags[0].message;
  }

  std::string dir_;
  SourceFiles files_;
};

TEST_F(ConfHostileFiles, FifoIsRefusedWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(path("fifo.conf").c_str(), 0600), 0);
  Result<std::string> direct = read_regular_file(path("fifo.conf"));
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().message, path("fifo.conf") + ": not a regular file (fifo)");

  const std::string message = only_error_at(parse_main("a 1\ninclude fifo.conf\nb 2\n"), 2);
  EXPECT_EQ(message, "cannot read included file '" + path("fifo.conf") +
                         "': not a regular file (fifo)");
}

TEST_F(ConfHostileFiles, DevZeroAndASymlinkToItAreRefused) {
  Result<std::string> direct = read_regular_file("/dev/zero");
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().message, "/dev/zero: not a regular file (character device)");

  std::filesystem::create_symlink("/dev/zero", path("zero.conf"));
  EXPECT_NE(only_error_at(parse_main("include /dev/zero\n"), 1).find("in /dev"),
            std::string::npos);
  EXPECT_EQ(only_error_at(parse_main("x 1\ninclude zero.conf\n"), 2),
            "cannot include '" + path("zero.conf") +
                "': it leads (by a symbolic link) into /dev: configuration is never read from "
                "/proc, /sys or /dev; nothing is read");
  // Matched by a wildcard, the link is refused when read.
  EXPECT_EQ(only_error_at(parse_main("x 1\ninclude zero.con[f]\n"), 2),
            "cannot read included file '" + path("zero.conf") +
                "': not a regular file (character device)");
}

TEST_F(ConfHostileFiles, HugeSparseFileIsRefusedBeforeReadingIt) {
  {
    std::ofstream(path("huge.conf")) << "";
  }
  ASSERT_EQ(::truncate(path("huge.conf").c_str(), 10LL << 30), 0);
  Result<std::string> direct = read_regular_file(path("huge.conf"));
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().code, EFBIG);
  EXPECT_NE(direct.error().message.find("16 MiB"), std::string::npos) << direct.error().message;
  EXPECT_NE(direct.error().message.find("10737418240 bytes"), std::string::npos);
  EXPECT_NE(only_error_at(parse_main("include huge.conf\n"), 1).find("larger than the 16 MiB"),
            std::string::npos);
}

TEST_F(ConfHostileFiles, SizeCapIsExact) {
  write("cap.conf", std::string(100, 'a'));
  EXPECT_TRUE(read_regular_file(path("cap.conf"), 100).ok());
  Result<std::string> over = read_regular_file(path("cap.conf"), 99);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, EFBIG);
}

TEST_F(ConfHostileFiles, DirectoryIsRefused) {
  std::filesystem::create_directories(path("conf.d"));
  Result<std::string> direct = read_regular_file(path("conf.d"));
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().code, EISDIR);
  EXPECT_EQ(only_error_at(parse_main("include conf.d\n"), 1),
            "cannot read included file '" + path("conf.d") + "': not a regular file (directory)");
}

TEST_F(ConfHostileFiles, PseudoFileSystemsAreNeverRead) {
  Result<std::string> direct = read_regular_file("/proc/self/status");
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.error().message.find("in /proc"), std::string::npos) << direct.error().message;
  // Through a symbolic link too.
  std::filesystem::create_symlink("/proc/self/environ", path("env.conf"));
  EXPECT_NE(only_error_at(parse_main("include env.conf\n"), 1).find("into /proc"),
            std::string::npos);
  EXPECT_NE(only_error_at(parse_main("include env.con[f]\n"), 1).find("in /proc"),
            std::string::npos);
  // A pattern that starts in one is refused before any search.
  EXPECT_NE(only_error_at(parse_main("include /sys/*/*\n"), 1).find("in /sys"), std::string::npos);
  EXPECT_NE(only_error_at(parse_main("include /proc/*/status\n"), 1).find("in /proc"),
            std::string::npos);
}

TEST_F(ConfHostileFiles, WholeDiskGlobIsBoundedAndSkipsPseudoFileSystems) {
  const Diagnostics diags = parse_main("include /*/*/*/*/*\n");
  std::string all;
  for (const auto& d : diags) all += format(d) + "\n";
  ASSERT_FALSE(diags.empty());
  bool skipped = false;
  bool refused = false;
  for (const auto& d : diags) {
    EXPECT_EQ(d.where.line, 1) << all;
    EXPECT_EQ(d.where.column, 1) << all;
    if (d.severity == Severity::Warning && d.message.find("/proc") != std::string::npos &&
        d.message.find("not searched") != std::string::npos) {
      skipped = true;
    }
    if (d.severity == Severity::Error) refused = true;
  }
  EXPECT_TRUE(skipped) << all;  // /proc, /sys and /dev were not searched, and it says so
  EXPECT_TRUE(refused) << all;  // too much work or too many matches: nothing read
}

TEST_F(ConfHostileFiles, GlobMatchingTooManyFilesReadsNone) {
  std::filesystem::create_directories(path("many"));
  for (std::size_t i = 0; i <= kMaxFilesPerInclude; ++i) {
    std::ofstream(path("many/" + std::to_string(i) + ".conf")) << "x 1\n";
  }
  const std::string message = only_error_at(parse_main("include many/*.conf\n"), 1);
  EXPECT_NE(message.find("matches 1001 files, more than the 1000"), std::string::npos) << message;
}

TEST_F(ConfHostileFiles, GlobWorkIsBounded) {
  // 2^15 brace alternatives: more file checks than one search may make, with no file at all.
  std::string pattern = dir_ + "/";
  for (int i = 0; i < 15; ++i) pattern += "{a,b}";
  GlobOutcome outcome = files_.expand(pattern + ".conf");
  EXPECT_TRUE(outcome.paths.empty());
  EXPECT_NE(outcome.refused.find("more than 20000"), std::string::npos) << outcome.refused;
  // One alternative fewer than the budget is searched in full.
  pattern = dir_ + "/";
  for (int i = 0; i < 14; ++i) pattern += "{a,b}";
  EXPECT_EQ(files_.expand(pattern + ".conf").refused, "");
}

TEST_F(ConfHostileFiles, RecordedRefusalIsNeverUnchanged) {
  ASSERT_EQ(::mkfifo(path("fifo.conf").c_str(), 0600), 0);
  write("keepalived.conf", "include fifo.conf\ninclude /proc/*\n");
  const director::config::ParsedConfig parsed =
      director::config::load_config_file(path("keepalived.conf"));
  EXPECT_TRUE(has_errors(parsed.diags));
  EXPECT_TRUE(director::config::config_files_changed(parsed.sources));
}

TEST_F(ConfHostileFiles, MainFileOfTheDirectorAndTheRealServerIsBounded) {
  ASSERT_EQ(::mkfifo(path("fifo.conf").c_str(), 0600), 0);
  const director::config::ParsedConfig parsed =
      director::config::load_config_file(path("fifo.conf"));
  ASSERT_EQ(parsed.diags.size(), 1u);
  EXPECT_NE(parsed.diags[0].message.find("not a regular file (fifo)"), std::string::npos);
  const director::config::ParsedConfig zero = director::config::load_config_file("/dev/zero");
  ASSERT_EQ(zero.diags.size(), 1u);
  EXPECT_NE(zero.diags[0].message.find("not a regular file"), std::string::npos);
}

TEST_F(ConfHostileFiles, MillionOpenBracesCostACounterNotAFrameEach) {
  std::string text;
  for (int i = 0; i < 1000000; ++i) text += "{\n";
  write("braces.conf", text);
  text.clear();
  text.shrink_to_fit();
  const director::config::ParsedConfig parsed =
      director::config::load_config_file(path("braces.conf"));
  ASSERT_EQ(parsed.diags.size(), 2u);
  EXPECT_EQ(parsed.diags[0].where.line, 1);
  EXPECT_EQ(parsed.diags[1].message,
            "missing '}': the block opened here is still open (with 999999 more blocks open "
            "inside it) at the end of " + path("braces.conf"));
}

TEST_F(ConfHostileFiles, StrayClosingBracesAreCountedAfterTheFirstHundred) {
  std::string text;
  for (int i = 0; i < 1000000; ++i) text += "}\n";
  write("closes.conf", text);
  const director::config::ParsedConfig parsed =
      director::config::load_config_file(path("closes.conf"));
  ASSERT_LE(parsed.diags.size(), 105u);  // 100, the count, and what validation says of nothing
  bool counted = false;
  for (const auto& d : parsed.diags) {
    if (d.message.find("unexpected '}' here and 999899 more after it") != std::string::npos) {
      counted = true;
      EXPECT_EQ(d.where.line, 101);  // the 101st '}'
    }
  }
  EXPECT_TRUE(counted);
}

// The fuzz seeds (which include the FIFO, /dev/zero, the huge file, the directory, /proc and
// whole-disk globs) and the test configs, each loaded from disk beside those neighbours through
// the real reader, as fuzz_config_file does: every load ends, with every diagnostic placed.
TEST_F(ConfHostileFiles, FuzzSeedsThroughTheRealReader) {
  ASSERT_EQ(::mkfifo(path("fifo.conf").c_str(), 0600), 0);
  {
    std::ofstream(path("huge.conf")) << "";
  }
  ASSERT_EQ(::truncate(path("huge.conf").c_str(), 10LL << 30), 0);
  std::filesystem::create_symlink("/dev/zero", path("zero.conf"));
  std::filesystem::create_directories(path("dir.conf"));
  write("rs.conf", "real_server 10.0.0.2 80 {\n  weight 1\n}\n");
  std::size_t loaded = 0;
  for (const char* sub : {"/tests/fuzz/seeds", "/tests/data/configs"}) {
    const std::filesystem::path seeds = std::string(LVSCTL_SOURCE_DIR) + sub;
    if (!std::filesystem::is_directory(seeds)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      write("main.conf", text);
      const director::config::ParsedConfig parsed =
          director::config::load_config_file(path("main.conf"));
      for (const auto& d : parsed.diags) {
        EXPECT_FALSE(d.where.file.empty()) << entry.path() << ": " << format(d);
        EXPECT_GE(d.where.line, 1) << entry.path() << ": " << format(d);
        EXPECT_FALSE(d.message.empty()) << entry.path();
      }
      ++loaded;
    }
  }
  EXPECT_GE(loaded, 6u);
}

TEST(ConfDiagnosticsCap, FirstHundredThenACount) {
  Diagnostics diags;
  for (int i = 1; i <= 250; ++i) {
    diags.push_back(Diagnostic{i % 5 == 0 ? Severity::Warning : Severity::Error,
                               Location{"k.conf", i, 1}, "m"});
  }
  const std::vector<std::string> lines = format_capped(diags);
  ASSERT_EQ(lines.size(), 101u);
  EXPECT_EQ(lines[0], "k.conf:1:1: error: m");
  EXPECT_EQ(lines[99], "k.conf:100:1: warning: m");
  EXPECT_EQ(lines[100], "... and 150 more (120 errors, 30 warnings not shown)");
  diags.resize(100);
  EXPECT_EQ(format_capped(diags).size(), 100u);
}

// The limits of one load, with files in memory (no disk needed to count).
TEST(ConfLoadLimits, TooManyIncludedFilesStopsWithOneError) {
  MemorySources files;
  std::string main;
  for (std::size_t g = 0; g < kMaxFilesPerLoad / kMaxFilesPerInclude + 1; ++g) {
    for (std::size_t i = 0; i < kMaxFilesPerInclude; ++i) {
      files.add(fmt::format("/e/d{}/{:04}.conf", g, i), "x 1\n");
    }
    main += fmt::format("include /e/d{}/*.conf\n", g);
  }
  Diagnostics diags;
  const std::vector<Statement> statements = parse_statements(main, "/e/k.conf", files, diags);
  ASSERT_EQ(diags.size(), 1u) << format(diags[0]);
  EXPECT_EQ(diags[0].where.line, static_cast<int>(kMaxFilesPerLoad / kMaxFilesPerInclude + 1));
  EXPECT_NE(diags[0].message.find("more than 10000 included files"), std::string::npos)
      << diags[0].message;
  EXPECT_EQ(statements.size(), kMaxFilesPerLoad);
}

TEST(ConfLoadLimits, TooManyBytesStopsWithOneError) {
  MemorySources files;
  const std::string big(12u << 20, '#');  // a comment: 12 MiB read, nothing parsed
  for (int i = 0; i < 6; ++i) files.add(fmt::format("/e/{}.conf", i), big);
  Diagnostics diags;
  parse_statements("include /e/*.conf\nx 1\n", "/e/k.conf", files, diags);
  ASSERT_EQ(diags.size(), 1u) << format(diags[0]);
  EXPECT_EQ(diags[0].where.line, 1);
  EXPECT_NE(diags[0].message.find("'/e/5.conf' takes the configuration past the 64 MiB"),
            std::string::npos)
      << diags[0].message;
}

}  // namespace
}  // namespace lvsctl::conf
