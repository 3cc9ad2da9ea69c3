// SourceManifest: what a load read (files with their content hash, include patterns with their
// matches), and whether the sources still give the same answers (the reload fast path).
// In memory through RecordingReader, and on disk through load_config_file.
#include "shared/conf/source_manifest.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::conf {
namespace {

constexpr const char* kMain = "/etc/k/keepalived.conf";

// keepalived.conf includes every conf.d/*.conf (relative to its directory) and an absolute file.
MemorySources sources() {
  return MemorySources({
      {kMain, "global_defs {\n  include conf.d/*.conf\n}\ninclude /etc/k/extra.conf\n"},
      {"/etc/k/conf.d/a.conf", "router_id a\n"},
      {"/etc/k/conf.d/b.conf", "notification_email_from b@example.org\n"},
      {"/etc/k/extra.conf", "virtual_server_group g {\n  203.0.113.1 80\n}\n"},
  });
}

SourceManifest record(SourceReader& files) {
  RecordingReader reader(files);
  Diagnostics diags;
  auto text = reader.read(kMain);
  if (text) parse_statements(*text, kMain, reader, diags);
  EXPECT_FALSE(has_errors(diags));
  return reader.take();
}

TEST(SourceManifest, RecordsEveryFileAndPattern) {
  MemorySources files = sources();
  const SourceManifest m = record(files);
  ASSERT_EQ(m.files.size(), 4U);
  EXPECT_EQ(m.files[0].path, kMain);
  EXPECT_EQ(m.files[1].path, "/etc/k/conf.d/a.conf");
  EXPECT_EQ(m.files[2].path, "/etc/k/conf.d/b.conf");
  EXPECT_EQ(m.files[3].path, "/etc/k/extra.conf");
  EXPECT_EQ(m.files[1].size, 12U);
  ASSERT_EQ(m.patterns.size(), 2U);
  EXPECT_EQ(m.patterns[0].pattern, "/etc/k/conf.d/*.conf");
  EXPECT_EQ(m.patterns[0].matches.size(), 2U);
}

TEST(SourceManifest, UnchangedSourcesAreUnchanged) {
  MemorySources files = sources();
  const SourceManifest m = record(files);
  MemorySources again = sources();
  EXPECT_FALSE(m.changed(again));
}

TEST(SourceManifest, OneByteChangedInAnIncludedFile) {
  MemorySources files = sources();
  const SourceManifest m = record(files);
  files.add("/etc/k/conf.d/b.conf", "notification_email_from c@example.org\n");  // same size
  EXPECT_TRUE(m.changed(files));
}

TEST(SourceManifest, NewFileMatchingAnIncludeGlob) {
  MemorySources files = sources();
  const SourceManifest m = record(files);
  files.add("/etc/k/conf.d/c.conf", "");
  EXPECT_TRUE(m.changed(files));
}

TEST(SourceManifest, IncludedFileRemoved) {
  MemorySources files = sources();
  files.add("/etc/k/conf.d/c.conf", "");
  const SourceManifest m = record(files);
  MemorySources fewer = sources();  // without c.conf
  EXPECT_TRUE(m.changed(fewer));
}

TEST(SourceManifest, IncludeThatMatchedNothingNowMatches) {
  MemorySources files;
  files.add(kMain, "include conf.d/*.conf\n");
  RecordingReader reader(files);
  Diagnostics diags;
  parse_statements(*reader.read(kMain), kMain, reader, diags);
  const SourceManifest m = reader.take();
  ASSERT_EQ(m.patterns.size(), 1U);
  EXPECT_TRUE(m.patterns[0].matches.empty());
  EXPECT_FALSE(m.changed(files));
  files.add("/etc/k/conf.d/a.conf", "");
  EXPECT_TRUE(m.changed(files));
}

TEST(SourceManifest, AFailedReadOrNothingRecordedIsNeverUnchanged) {
  MemorySources files;
  RecordingReader reader(files);
  EXPECT_FALSE(reader.read(kMain).ok());
  const SourceManifest failed = reader.take();
  ASSERT_EQ(failed.files.size(), 1U);
  EXPECT_FALSE(failed.files[0].readable);
  EXPECT_TRUE(failed.changed(files));
  EXPECT_TRUE(SourceManifest{}.changed(files));
}

// The same through the disk: load_config_file records, config_files_changed compares.
class SourceManifestOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lvsctl-manifest-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    write("keepalived.conf", "include conf.d/*.conf\n");
    write("conf.d/a.conf", "virtual_server 203.0.113.10 80 {\n  real_server 203.0.113.11 80 {\n"
                           "    weight 1\n  }\n}\n");
    main_ = dir_ + "/keepalived.conf";
    loaded_ = director::config::load_config_file(main_);
    ASSERT_FALSE(has_errors(loaded_.diags));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir_) / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::trunc) << text;
  }
  bool changed() const { return director::config::config_files_changed(loaded_.sources); }

  std::string dir_, main_;
  director::config::ParsedConfig loaded_;
};

TEST_F(SourceManifestOnDisk, UnchangedFilesAreUnchanged) {
  EXPECT_EQ(loaded_.sources.files.size(), 2U);
  EXPECT_FALSE(changed());
  write("keepalived.conf", "include conf.d/*.conf\n");  // rewritten, same bytes
  EXPECT_FALSE(changed());
}

TEST_F(SourceManifestOnDisk, OneByteChangedInTheIncludedFile) {
  write("conf.d/a.conf", "virtual_server 203.0.113.10 80 {\n  real_server 203.0.113.11 80 {\n"
                         "    weight 2\n  }\n}\n");
  EXPECT_TRUE(changed());
}

TEST_F(SourceManifestOnDisk, NewFileMatchingTheGlob) {
  write("conf.d/b.conf", "");
  EXPECT_TRUE(changed());
}

TEST_F(SourceManifestOnDisk, IncludedFileRemoved) {
  std::filesystem::remove(dir_ + "/conf.d/a.conf");
  EXPECT_TRUE(changed());
}

TEST_F(SourceManifestOnDisk, MainFileRemovedIsChangedAndLoadingFails) {
  std::filesystem::remove(main_);
  EXPECT_TRUE(changed());
  const auto again = director::config::load_config_file(main_);
  EXPECT_TRUE(has_errors(again.diags));
  SourceFiles disk;
  EXPECT_TRUE(again.sources.changed(disk));
}

}  // namespace
}  // namespace lvsctl::conf
