// The keepalived.conf statement tree: messy input as found in real configs, with exact
// file:line:col for words and diagnostics.
#include "shared/conf/statement.hpp"

#include <gtest/gtest.h>

#include <string>

#include "shared/conf/source_files.hpp"

namespace lvsctl::conf {
namespace {

// "kw arg arg { inner; inner }; next" — compact picture of a tree for assertions.
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

struct Parsed {
  std::vector<Statement> statements;
  Diagnostics diags;
};

Parsed parse(std::string_view text) {
  MemorySources none;
  Parsed p;
  p.statements = parse_statements(text, "k.conf", none, p.diags);
  return p;
}

void expect_at(const Location& where, int line, int column) {
  EXPECT_EQ(where.file, "k.conf");
  EXPECT_EQ(where.line, line);
  EXPECT_EQ(where.column, column);
}

TEST(ConfStatement, KeywordsArgsAndNestedBlocksWithLocations) {
  Parsed p = parse(
      "global_defs {\n"
      "   router_id LVS_1\n"
      "}\n"
      "virtual_server 10.0.0.1 80 {\n"
      "  real_server 10.0.0.2 80 {\n"
      "    TCP_CHECK {\n"
      "      connect_timeout 10\n"
      "    }\n"
      "  }\n"
      "}\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements),
            "global_defs { router_id LVS_1 }; virtual_server 10.0.0.1 80 { real_server 10.0.0.2 "
            "80 { TCP_CHECK { connect_timeout 10 } } }");
  ASSERT_EQ(p.statements.size(), 2u);
  const Statement& vs = p.statements[1];
  expect_at(vs.keyword.where, 4, 1);
  expect_at(vs.args[0].where, 4, 16);
  expect_at(vs.args[1].where, 4, 25);
  const Statement& rs = vs.block.at(0);
  expect_at(rs.keyword.where, 5, 3);
  const Statement& timeout = rs.block.at(0).block.at(0);
  expect_at(timeout.keyword.where, 7, 7);
  expect_at(timeout.args.at(0).where, 7, 23);
  EXPECT_FALSE(timeout.has_block);
  EXPECT_TRUE(rs.block.at(0).has_block);
}

TEST(ConfStatement, EmptyBlockIsABlock) {
  Parsed p = parse("virtual_ipaddress {\n}\nnopreempt\n");
  ASSERT_EQ(p.statements.size(), 2u);
  EXPECT_TRUE(p.statements[0].has_block);
  EXPECT_TRUE(p.statements[0].block.empty());
  EXPECT_FALSE(p.statements[1].has_block);
}

TEST(ConfStatement, HashAndBangCommentsAnywhere) {
  Parsed p = parse(
      "! Configuration File for keepalived\n"
      "# another comment\n"
      "global_defs {   # trailing comment\n"
      "  router_id a ! bang comment\n"
      "}\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "global_defs { router_id a }");
}

TEST(ConfStatement, CommentGluedToValueEndsTheWordWithAWarning) {
  Parsed p = parse("delay_before_retry 3#seconds\n");
  EXPECT_EQ(render(p.statements), "delay_before_retry 3");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Warning);
  expect_at(p.diags[0].where, 1, 21);
  EXPECT_NE(p.diags[0].message.find("'3'"), std::string::npos) << p.diags[0].message;
  EXPECT_FALSE(has_errors(p.diags));
}

TEST(ConfStatement, BangInsideAPasswordIsACommentAsInKeepalived) {
  Parsed p = parse("authentication {\n  auth_type PASS\n  auth_pass Test123!\n}\n");
  EXPECT_EQ(render(p.statements), "authentication { auth_type PASS; auth_pass Test123 }");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Warning);
  expect_at(p.diags[0].where, 3, 20);
  EXPECT_NE(p.diags[0].message.find("Test123"), std::string::npos);
}

TEST(ConfStatement, EscapedCommentCharactersAreKept) {
  Parsed p = parse("auth_pass Test123\\! a\\#b\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  ASSERT_EQ(p.statements.size(), 1u);
  ASSERT_EQ(p.statements[0].args.size(), 2u);
  EXPECT_EQ(p.statements[0].args[0].text, "Test123!");
  EXPECT_EQ(p.statements[0].args[1].text, "a#b");
  expect_at(p.statements[0].args[1].where, 1, 21);
}

TEST(ConfStatement, QuotedStringsAreOneWordAndKeepCommentCharsAndBraces) {
  Parsed p = parse("notify_master \"/usr/bin/notify.sh MASTER #1 ! {x}\"  # real comment\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  ASSERT_EQ(p.statements.size(), 1u);
  ASSERT_EQ(p.statements[0].args.size(), 1u);
  const Word& w = p.statements[0].args[0];
  EXPECT_EQ(w.text, "/usr/bin/notify.sh MASTER #1 ! {x}");
  EXPECT_TRUE(w.quoted);
  expect_at(w.where, 1, 15);
  EXPECT_FALSE(p.statements[0].keyword.quoted);
}

TEST(ConfStatement, QuoteGluedToAWordStartsANewWordAsInKeepalived) {
  Parsed p = parse("a b\"c d\"e \"\"\n");
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(render(p.statements), "a b c d e ");
  EXPECT_EQ(p.statements[0].args.size(), 4u);
  EXPECT_EQ(p.statements[0].args[3].text, "");
  EXPECT_TRUE(p.statements[0].args[3].quoted);
}

TEST(ConfStatement, BackslashInsideQuotesKeepsTheNextCharacter) {
  Parsed p = parse("script \"echo \\\"hi\\\" # x\"\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  ASSERT_EQ(p.statements.at(0).args.size(), 1u);
  EXPECT_EQ(p.statements[0].args[0].text, "echo \\\"hi\\\" # x");
}

TEST(ConfStatement, UnterminatedQuoteIsAnErrorAtTheQuote) {
  Parsed p = parse("global_defs {\n  router_id \"abc # def\n}\n");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  expect_at(p.diags[0].where, 2, 13);
  EXPECT_EQ(render(p.statements), "global_defs { router_id abc # def }");
}

TEST(ConfStatement, BraceGluedToAWord) {
  Parsed p = parse("real_server 10.0.0.1 80{\n weight 1\n}\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "real_server 10.0.0.1 80 { weight 1 }");
  expect_at(p.statements[0].args[1].where, 1, 22);
}

TEST(ConfStatement, BraceOnTheNextLinesBelongsToThePrecedingStatement) {
  Parsed p = parse(
      "virtual_server 10.0.0.1 80\n"
      "\n"
      "  # the block follows\n"
      "{\n"
      "  real_server 10.0.0.2 80\n"
      "  {\n"
      "    weight 2\n"
      "  }\n"
      "}\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "virtual_server 10.0.0.1 80 { real_server 10.0.0.2 80 { weight 2 } }");
}

TEST(ConfStatement, WholeBlockOnOneLine) {
  Parsed p = parse("virtual_ipaddress { 10.0.0.1/24 dev eth0 }\nnopreempt\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "virtual_ipaddress { 10.0.0.1/24 dev eth0 }; nopreempt");
  expect_at(p.statements[0].block.at(0).keyword.where, 1, 21);
}

TEST(ConfStatement, WordsAfterAClosingBraceStartANewStatement) {
  Parsed p = parse("a { b } c d\n{ e }\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "a { b }; c d { e }");
}

TEST(ConfStatement, StatementWithABlockDoesNotTakeASecondOne) {
  Parsed p = parse("a { b }\n{ c }\n");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  expect_at(p.diags[0].where, 2, 1);
  EXPECT_EQ(render(p.statements), "a { b }");
}

TEST(ConfStatement, CrLfLineEndings) {
  Parsed p = parse("global_defs {\r\n   router_id LVS_1\r\n}\r\nnopreempt\r\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "global_defs { router_id LVS_1 }; nopreempt");
  expect_at(p.statements[1].keyword.where, 4, 1);
}

TEST(ConfStatement, NoBreakSpacesAreWhitespaceAndMarkTheWordAfterThem) {
  // U+00A0 as indentation and between tokens, as pasted from web pages. The words after them
  // are marked, so that the config builder can say per block what keepalived makes of them.
  Parsed p = parse("vrrp_instance VI_1 {\n\xC2\xA0\xC2\xA0priority\xC2\xA0" "100\n\xC2\xA0state MASTER\n"
                   "  plain line\n}\n");
  EXPECT_EQ(render(p.statements), "vrrp_instance VI_1 { priority 100; state MASTER; plain line }");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  const auto& block = p.statements[0].block;
  expect_at(block[0].keyword.where, 2, 5);  // columns count bytes
  expect_at(block[0].args[0].where, 2, 15);
  EXPECT_TRUE(block[0].keyword.nbsp_before);
  EXPECT_TRUE(block[0].args[0].nbsp_before);
  EXPECT_TRUE(block[1].keyword.nbsp_before);
  EXPECT_FALSE(block[1].args[0].nbsp_before);
  EXPECT_FALSE(block[2].keyword.nbsp_before);
  EXPECT_FALSE(block[2].args[0].nbsp_before);
  EXPECT_FALSE(p.statements[0].keyword.nbsp_before);
}

TEST(ConfStatement, OtherUtf8IsPartOfWords) {
  Parsed p = parse("router_id r\xC3\xA9seau\xC2\xA9 #\xE8\xAE\xBE\xE7\xBD\xAE\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(p.statements.at(0).args.at(0).text, "r\xC3\xA9seau\xC2\xA9");
}

TEST(ConfStatement, TabsAndSeveralSpaces) {
  Parsed p = parse("\t\tlb_algo \t  rr\f\v x\n");
  EXPECT_EQ(render(p.statements), "lb_algo rr x");
  expect_at(p.statements[0].keyword.where, 1, 3);
  expect_at(p.statements[0].args[0].where, 1, 14);
}

TEST(ConfStatement, NoFinalNewline) {
  Parsed p = parse("a {\n b 1\n}\nlast word");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "a { b 1 }; last word");
}

TEST(ConfStatement, EmptyAndCommentOnlyInput) {
  EXPECT_TRUE(parse("").statements.empty());
  Parsed p = parse("\n\n  # nothing\r\n!\n");
  EXPECT_TRUE(p.statements.empty());
  EXPECT_TRUE(p.diags.empty());
}

TEST(ConfStatement, ByteOrderMarkIsSkippedWithAWarning) {
  Parsed p = parse("\xEF\xBB\xBFglobal_defs {\n}\n");
  EXPECT_EQ(render(p.statements), "global_defs {  }");
  ASSERT_EQ(p.diags.size(), 1u);
  EXPECT_EQ(p.diags[0].severity, Severity::Warning);
  expect_at(p.statements[0].keyword.where, 1, 4);
}

TEST(ConfStatement, TrailingBackslashDoesNotContinueTheLine) {
  // keepalived 2.2.7: "router_id foo \" + "bar" is router_id "foo\" and an unknown keyword "bar".
  Parsed p = parse("global_defs {\n  router_id foo \\\n  bar\n}\n");
  EXPECT_EQ(render(p.statements), "global_defs { router_id foo; bar }");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  expect_at(p.diags[0].where, 2, 17);
  // Glued to the word, and alone on a line.
  Parsed glued = parse("state\\\nMASTER\n\\\n");
  EXPECT_EQ(render(glued.statements), "state; MASTER");
  ASSERT_EQ(glued.diags.size(), 2u) << render(glued.diags);
  expect_at(glued.diags[0].where, 1, 6);
  expect_at(glued.diags[1].where, 3, 1);
}

TEST(ConfStatement, BackslashInTheMiddleIsAnOrdinaryCharacter) {
  Parsed p = parse("misc_path C:\\x\\y z\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(p.statements.at(0).args.at(0).text, "C:\\x\\y");
}

TEST(ConfStatement, ExtraClosingBraceIsAnErrorAtItsPosition) {
  Parsed p = parse("global_defs {\n  router_id a\n}\n  }\nvrrp_instance VI_1 {\n}\n");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  expect_at(p.diags[0].where, 4, 3);
  EXPECT_EQ(format(p.diags[0]).substr(0, 20), "k.conf:4:3: error: u");
  // Parsing went on after it.
  EXPECT_EQ(render(p.statements), "global_defs { router_id a }; vrrp_instance VI_1 {  }");
}

TEST(ConfStatement, MissingClosingBraceNamesTheUnclosedBlock) {
  Parsed p = parse(
      "virtual_server 10.0.0.1 80 {\n"
      "  real_server 10.0.0.2 80 {\n"
      "    weight 1\n"
      "  }\n"
      "  real_server 10.0.0.3 80 {\n"
      "    weight 2\n");
  ASSERT_EQ(p.diags.size(), 2u) << render(p.diags);
  // Innermost first.
  expect_at(p.diags[0].where, 5, 27);
  EXPECT_NE(p.diags[0].message.find("'real_server'"), std::string::npos) << p.diags[0].message;
  expect_at(p.diags[1].where, 1, 28);
  EXPECT_NE(p.diags[1].message.find("'virtual_server'"), std::string::npos);
  EXPECT_TRUE(has_errors(p.diags));
  // Nothing read is dropped.
  EXPECT_EQ(render(p.statements),
            "virtual_server 10.0.0.1 80 { real_server 10.0.0.2 80 { weight 1 }; real_server "
            "10.0.0.3 80 { weight 2 } }");
}

TEST(ConfStatement, BraceWithoutStatementIsAnError) {
  Parsed p = parse("{\n  a 1\n}\nb 2\n");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  expect_at(p.diags[0].where, 1, 1);
  EXPECT_EQ(render(p.statements), "b 2");
}

TEST(ConfStatement, BlockOnTheNextLineInsideAnIgnoredBlock) {
  // Found by fuzzing: a statement inside a dropped block followed by '{' on the next line.
  Parsed p = parse("{\n a\n {\n  b\n }\n}\nc 1\n");
  ASSERT_EQ(p.diags.size(), 1u) << render(p.diags);
  expect_at(p.diags[0].where, 1, 1);
  EXPECT_EQ(render(p.statements), "c 1");
}

TEST(ConfStatement, AllProblemsAreCollected) {
  Parsed p = parse("}\na \"x\n}\nb \\\n{\nc {\n");
  // '}' extra at 1:1, unterminated quote 2:3, '}' extra 3:1, backslash 4:3, block of b open,
  // block of c open.
  std::vector<std::pair<int, int>> at;
  for (const Diagnostic& d : p.diags) at.emplace_back(d.where.line, d.where.column);
  EXPECT_EQ(at, (std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {3, 1}, {4, 3}, {6, 3}, {5, 1}}))
      << render(p.diags);
}

TEST(ConfStatement, DeepNestingIsBoundedAndDoesNotCrash) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "a {\n";
  for (int i = 0; i < 5000; ++i) text += "}\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.diags.size(), 1u) << p.diags.size();
  EXPECT_NE(p.diags[0].message.find("nested"), std::string::npos);
  // The tree is at most kMaxDepth deep.
  int depth = 0;
  for (const std::vector<Statement>* level = &p.statements; !level->empty();
       level = &level->front().block) {
    ++depth;
  }
  EXPECT_EQ(depth, 100);
}

TEST(ConfStatement, KeepalivedLanguageLinesAreApplied) {
  // Details in conf_language_test.cpp; here: none of them reaches the tree as a statement.
  MemorySources none;
  Parsed p;
  LanguageOptions options;
  options.config_id = "main";
  p.statements = parse_statements(
      "@main router_id a\n@^main router_id b\n$IF=eth0\n$MULTI=a \\\n  b \\\n  c\n"
      "~SEQ(i,1,3) x $i\nz 1\n",
      "k.conf", none, p.diags, options);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "router_id a; x 1; x 2; x 3; z 1");
}

TEST(ConfStatement, NulByteIsAnErrorNotATruncation) {
  std::string text("a 1\0b\nc 2\n", 10);
  Parsed p = parse(text);
  EXPECT_EQ(render(p.statements), "a 1 b; c 2");
  ASSERT_EQ(p.diags.size(), 1u);
  expect_at(p.diags[0].where, 1, 4);
}

}  // namespace
}  // namespace lvsctl::conf
