// `include` in the statement tree, through an in-memory SourceReader: relative globs, order,
// includes inside blocks, loops, missing and unreadable files.
#include <gtest/gtest.h>

#include <string>

#include "shared/conf/source_files.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::conf {
namespace {

std::string render(const std::vector<Statement>& statements) {
  std::string out;
  for (const Statement& s : statements) {
    if (!out.empty()) out += "; ";
    out += s.keyword.text;
    for (const Word& a : s.args) out += " " + a.text;
    if (s.has_block) out += " { " + render(s.block) + " }";
  }
  return out;
}

std::string render(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags) out += format(d) + "\n";
  return out;
}

// Serves a MemorySources but counts reads, and fails reads of chosen paths.
class CountingSources final : public SourceReader {
 public:
  MemorySources files;
  std::vector<std::string> reads;
  std::string unreadable;

  Result<std::string> read(const std::string& path) override {
    reads.push_back(path);
    if (path == unreadable) return Error{"open " + path + ": Permission denied", 13};
    return files.read(path);
  }
  std::vector<std::string> glob(const std::string& pattern) override {
    return files.glob(pattern);
  }
};

struct Parsed {
  std::vector<Statement> statements;
  Diagnostics diags;
};

Parsed parse_main(SourceReader& reader, const std::string& main = "/etc/keepalived/keepalived.conf") {
  Result<std::string> text = reader.read(main);
  EXPECT_TRUE(text.ok());
  Parsed p;
  p.statements = parse_statements(text.ok() ? text.value() : "", main, reader, p.diags);
  return p;
}

TEST(ConfInclude, RelativeGlobFromTheIncludingFilesDirectoryInSortedOrder) {
  CountingSources r;
  r.files.add("/etc/keepalived/keepalived.conf",
              "global_defs {\n}\ninclude conf.d/*.conf\nlast 1\n");
  r.files.add("/etc/keepalived/conf.d/20-b.conf", "b 2\n");
  r.files.add("/etc/keepalived/conf.d/10-a.conf", "a 1\n");
  r.files.add("/etc/keepalived/conf.d/notes.txt", "ignored 0\n");
  r.files.add("/etc/keepalived/conf.d/sub/30-c.conf", "ignored 0\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "global_defs {  }; a 1; b 2; last 1");
  ASSERT_EQ(p.statements.size(), 4u);
  EXPECT_EQ(p.statements[1].keyword.where.file, "/etc/keepalived/conf.d/10-a.conf");
  EXPECT_EQ(p.statements[1].keyword.where.line, 1);
  EXPECT_EQ(p.statements[1].keyword.where.column, 1);
  EXPECT_EQ(p.statements[3].keyword.where.file, "/etc/keepalived/keepalived.conf");
  EXPECT_EQ(p.statements[3].keyword.where.line, 4);
}

TEST(ConfInclude, NestedIncludeIsRelativeToItsOwnFile) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include /srv/lvs/main.conf\n");
  r.add("/srv/lvs/main.conf", "include parts/vs.conf\n");
  r.add("/srv/lvs/parts/vs.conf", "virtual_server 10.0.0.1 80 {\n}\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "virtual_server 10.0.0.1 80 {  }");
}

TEST(ConfInclude, RelativeMainFileWithoutDirectory) {
  MemorySources r;
  r.add("k.conf", "include other.conf\n");
  r.add("other.conf", "x 1\n");
  Parsed p = parse_main(r, "k.conf");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "x 1");
}

TEST(ConfInclude, IncludeInsideABlockAddsToThatBlock) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf",
        "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  include rs/*.conf\n  protocol TCP\n}\n");
  r.add("/etc/keepalived/rs/1.conf", "real_server 10.0.0.2 80 {\n  weight 1\n}\n");
  r.add("/etc/keepalived/rs/2.conf", "real_server 10.0.0.3 80 {\n  weight 2\n}\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements),
            "virtual_server 10.0.0.1 80 { lb_algo rr; real_server 10.0.0.2 80 { weight 1 }; "
            "real_server 10.0.0.3 80 { weight 2 }; protocol TCP }");
}

TEST(ConfInclude, IncludeVariantsAndQuotedPattern) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf",
        "includer a.conf\nincludea \"b.conf\"\n\"include\" c\n");
  r.add("/etc/keepalived/a.conf", "a 1\n");
  r.add("/etc/keepalived/b.conf", "b 2\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  // A quoted "include" is an ordinary word.
  EXPECT_EQ(render(p.statements), "a 1; b 2; include c");
}

TEST(ConfInclude, LoopIsReportedAtTheIncludeLineAndNotFollowed) {
  CountingSources r;
  r.files.add("/etc/keepalived/keepalived.conf", "top 1\ninclude a.conf\n");
  r.files.add("/etc/keepalived/a.conf", "a 1\n  include ./sub/../b.conf\n");
  r.files.add("/etc/keepalived/b.conf", "b 1\ninclude /etc/keepalived/keepalived.conf\nb 2\n");
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  const Diagnostic& d = p.diags[0];
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.where.file, "/etc/keepalived/b.conf");
  EXPECT_EQ(d.where.line, 2);
  EXPECT_EQ(d.where.column, 1);
  EXPECT_NE(d.message.find("include loop"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("/etc/keepalived/keepalived.conf -> /etc/keepalived/a.conf"),
            std::string::npos)
      << d.message;
  EXPECT_EQ(render(p.statements), "top 1; a 1; b 1; b 2");
}

TEST(ConfInclude, SelfIncludeIsALoop) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "x 1\ninclude keepalived.conf\n");
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_NE(p.diags[0].message.find("include loop"), std::string::npos);
  EXPECT_EQ(render(p.statements), "x 1");
}

TEST(ConfInclude, SameFileTwiceInSequenceIsNotALoop) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include a.conf\ninclude a.conf\n");
  r.add("/etc/keepalived/a.conf", "a 1\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "a 1; a 1");
}

TEST(ConfInclude, SiblingMatchIncludingTheNextOneIsNotALoop) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include d/*.conf\n");
  r.add("/etc/keepalived/d/1.conf", "one 1\ninclude 2.conf\n");
  r.add("/etc/keepalived/d/2.conf", "two 2\n");
  Parsed p = parse_main(r);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "one 1; two 2; two 2");
}

TEST(ConfInclude, MissingFileIsAnErrorAndEmptyGlobAWarning) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf",
        "include missing.conf\ninclude conf.d/*.conf\nincludew conf.d/*.conf\nx 1\n");
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 3u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  EXPECT_EQ(p.diags[0].where.line, 1);
  EXPECT_NE(p.diags[0].message.find("/etc/keepalived/missing.conf"), std::string::npos);
  EXPECT_EQ(p.diags[1].severity, Severity::Warning);
  EXPECT_EQ(p.diags[1].where.line, 2);
  EXPECT_EQ(p.diags[2].severity, Severity::Error);
  EXPECT_EQ(p.diags[2].where.line, 3);
  EXPECT_EQ(render(p.statements), "x 1");
}

TEST(ConfInclude, UnreadableFileIsReportedAndTheOtherMatchesAreRead) {
  CountingSources r;
  r.files.add("/etc/keepalived/keepalived.conf", "include d/*.conf\n");
  r.files.add("/etc/keepalived/d/1.conf", "one 1\n");
  r.files.add("/etc/keepalived/d/2.conf", "two 2\n");
  r.files.add("/etc/keepalived/d/3.conf", "three 3\n");
  r.unreadable = "/etc/keepalived/d/2.conf";
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].where.file, "/etc/keepalived/keepalived.conf");
  EXPECT_EQ(p.diags[0].where.line, 1);
  EXPECT_NE(p.diags[0].message.find("Permission denied"), std::string::npos);
  EXPECT_EQ(render(p.statements), "one 1; three 3");
}

TEST(ConfInclude, BadIncludeLines) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include\ninclude a b\na { include x }\n");
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 3u) << render(p.diags);
  EXPECT_EQ(p.diags[0].where.line, 1);
  EXPECT_EQ(p.diags[1].where.line, 2);
  EXPECT_EQ(p.diags[2].where.line, 3);
  EXPECT_EQ(p.diags[2].where.column, 5);
  EXPECT_EQ(render(p.statements), "a {  }");
}

TEST(ConfInclude, BlockOpenedInAnIncludedFileAndNeverClosed) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include vs.conf\nafter 1\n");
  r.add("/etc/keepalived/vs.conf", "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n");
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].where.file, "/etc/keepalived/vs.conf");
  EXPECT_EQ(p.diags[0].where.line, 1);
  EXPECT_EQ(p.diags[0].where.column, 28);
  // As in keepalived, the included lines flow on into the including file.
  EXPECT_EQ(render(p.statements), "virtual_server 10.0.0.1 80 { lb_algo rr; after 1 }");
}

TEST(ConfInclude, DeepIncludeChainIsBounded) {
  MemorySources r;
  r.add("/etc/keepalived/keepalived.conf", "include 0.conf\n");
  for (int i = 0; i < 100; ++i) {
    r.add("/etc/keepalived/" + std::to_string(i) + ".conf",
          "include " + std::to_string(i + 1) + ".conf\n");
  }
  Parsed p = parse_main(r);
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_NE(p.diags[0].message.find("nested more than"), std::string::npos);
}

}  // namespace
}  // namespace lvsctl::conf
