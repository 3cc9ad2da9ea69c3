// SourceFiles, the disk behind `include`, in a temporary directory of its own.
#include "shared/conf/source_files.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

namespace lvsctl::conf {
namespace {

class ConfSourceFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lvsctl-conf-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir_) / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  std::string dir_;
  SourceFiles files_;
};

TEST_F(ConfSourceFiles, ReadsAFile) {
  write("k.conf", "a 1\n");
  Result<std::string> text = files_.read(dir_ + "/k.conf");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text.value(), "a 1\n");
}

TEST_F(ConfSourceFiles, MissingFileAndDirectoryFailWithTheReason) {
  Result<std::string> missing = files_.read(dir_ + "/nope.conf");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ENOENT);
  EXPECT_NE(missing.error().message.find("nope.conf"), std::string::npos);
  Result<std::string> directory = files_.read(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, EISDIR);
}

TEST_F(ConfSourceFiles, GlobIsSortedAndExpandsBraces) {
  write("conf.d/b.conf", "");
  write("conf.d/a.conf", "");
  write("conf.d/c.txt", "");
  EXPECT_EQ(files_.glob(dir_ + "/conf.d/*.conf"),
            (std::vector<std::string>{dir_ + "/conf.d/a.conf", dir_ + "/conf.d/b.conf"}));
  EXPECT_EQ(files_.glob(dir_ + "/conf.d/{c.txt,a.conf}").size(), 2u);
  EXPECT_TRUE(files_.glob(dir_ + "/conf.d/*.none").empty());
  EXPECT_TRUE(files_.glob(dir_ + "/missing.conf").empty());
  EXPECT_EQ(files_.glob(dir_ + "/conf.d/a.conf"),
            (std::vector<std::string>{dir_ + "/conf.d/a.conf"}));
}

TEST_F(ConfSourceFiles, IncludeRelativeToTheIncludingFileOnDisk) {
  write("etc/keepalived.conf", "include conf.d/*.conf\nz 9\n");
  write("etc/conf.d/1.conf", "include ../more/x.conf\n");
  write("etc/more/x.conf", "x 1\n");
  const std::string main = dir_ + "/etc/keepalived.conf";
  Result<std::string> text = files_.read(main);
  ASSERT_TRUE(text.ok());
  Diagnostics diags;
  std::vector<Statement> statements = parse_statements(text.value(), main, files_, diags);
  EXPECT_TRUE(diags.empty()) << (diags.empty() ? "" : format(diags[0]));
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].keyword.text, "x");
  EXPECT_EQ(statements[0].keyword.where.file, dir_ + "/etc/conf.d/../more/x.conf");
  EXPECT_EQ(statements[1].keyword.text, "z");
}

TEST_F(ConfSourceFiles, UnreadableIncludeIsAnError) {
  if (::geteuid() == 0) {
    // root reads anything; a directory matched by the glob is unreadable for everyone.
    write("etc/keepalived.conf", "include conf.d/*\n");
    std::filesystem::create_directories(dir_ + "/etc/conf.d/adir");
  } else {
    write("etc/keepalived.conf", "include conf.d/*\n");
    write("etc/conf.d/secret.conf", "a 1\n");
    ::chmod((dir_ + "/etc/conf.d/secret.conf").c_str(), 0);
  }
  const std::string main = dir_ + "/etc/keepalived.conf";
  Diagnostics diags;
  parse_statements(files_.read(main).value(), main, files_, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].severity, Severity::Error);
  EXPECT_EQ(diags[0].where.line, 1);
  EXPECT_NE(diags[0].message.find("cannot read"), std::string::npos) << diags[0].message;
}

}  // namespace
}  // namespace lvsctl::conf
