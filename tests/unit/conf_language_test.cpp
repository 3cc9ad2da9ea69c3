// keepalived's configuration language (keepalived.conf(5), ADVANCED CONFIGURATION): `@ID`
// conditional lines, `$NAME=VALUE` parameters and their substitution, `~SEQ` sequences; each
// word keeps the file:line:col it was written at.
#include "shared/conf/language.hpp"

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

struct Parsed {
  std::vector<Statement> statements;
  Diagnostics diags;
};

Parsed parse(std::string_view text, const std::string& config_id = "main") {
  MemorySources none;
  Parsed p;
  LanguageOptions options;
  options.config_id = config_id;
  p.statements = parse_statements(text, "k.conf", none, p.diags, options);
  return p;
}

void expect_at(const Location& where, int line, int column) {
  EXPECT_EQ(where.line, line);
  EXPECT_EQ(where.column, column);
}

// ---- @ID / @^ID ----------------------------------------------------------------------------------

TEST(ConfLanguage, ConditionalLinesFollowTheConfigIdAsInTheManPage) {
  const char* text =
      "global_defs {\n"
      "    @main   router_id main_router\n"
      "    @backup router_id backup_router\n"
      "}\n"
      "unicast_peer {\n"
      "    @^main    1.2.3.4\n"
      "    @^backup  1.2.3.5\n"
      "    @^backup2 1.2.3.6\n"
      "}\n";
  Parsed main = parse(text, "main");
  EXPECT_TRUE(main.diags.empty()) << render(main.diags);
  EXPECT_EQ(render(main.statements),
            "global_defs { router_id main_router }; unicast_peer { 1.2.3.5; 1.2.3.6 }");
  // Positions are those of the words in the file, after the @ID prefix.
  expect_at(main.statements[0].block[0].keyword.where, 2, 13);
  expect_at(main.statements[0].block[0].args[0].where, 2, 23);
  Parsed backup = parse(text, "backup");
  EXPECT_EQ(render(backup.statements),
            "global_defs { router_id backup_router }; unicast_peer { 1.2.3.4; 1.2.3.6 }");
  Parsed other = parse(text, "other");
  EXPECT_EQ(render(other.statements),
            "global_defs {  }; unicast_peer { 1.2.3.4; 1.2.3.5; 1.2.3.6 }");
}

TEST(ConfLanguage, BareAtIsAnError) {
  Parsed p = parse("@ router_id x\nz 1\n");
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  expect_at(p.diags[0].where, 1, 1);
  EXPECT_EQ(render(p.statements), "z 1");
}

TEST(ConfLanguage, DefaultConfigIdIsTheShortHostName) {
  const std::string id = default_config_id();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id.find('.'), std::string::npos);
  Parsed p = parse("@" + id + " kept 1\n@^" + id + " dropped 1\n", "");
  EXPECT_EQ(render(p.statements), "kept 1");
}

// ---- $NAME=VALUE -----------------------------------------------------------------------------------

TEST(ConfLanguage, ParametersAreSubstitutedAtUseTimeRecursively) {
  // The man page's example: 10.2.0.100/32 then 10.2.10.100/32.
  Parsed p = parse(
      "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
      "$ADDRESS_BASE_SUB=0\n"
      "${ADDRESS_BASE}.100/32\n"
      "$ADDRESS_BASE_SUB=10\n"
      "${ADDRESS_BASE}.100/32\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "10.2.0.100/32; 10.2.10.100/32");
  expect_at(p.statements[0].keyword.where, 3, 1);
  expect_at(p.statements[1].keyword.where, 5, 1);
}

TEST(ConfLanguage, DollarNameNeedsABlankAfterItAndUndefinedNamesStay) {
  Parsed p = parse("$PRIO=240\npriority $PRIO\nx $PRIOx ${PRIO}x $UNDEF $(cmd)\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "priority 240; x $PRIOx 240x $UNDEF $(cmd)");
  // The substituted word is placed at its '$'.
  expect_at(p.statements[0].args[0].where, 2, 10);
  expect_at(p.statements[1].args[1].where, 3, 10);
  expect_at(p.statements[1].args[2].where, 3, 19);
}

TEST(ConfLanguage, ConditionalDefinitionsAndAConditionInAValue) {
  const char* text =
      "@main $PRIORITY=240\n"
      "@backup $PRIORITY=200\n"
      "vrrp_instance VI_0 {\n"
      "    priority $PRIORITY\n"
      "}\n"
      "$IF_MAIN=@main\n"
      "$IF_MAIN nopreempt\n";
  EXPECT_EQ(render(parse(text, "main").statements), "vrrp_instance VI_0 { priority 240 }; nopreempt");
  EXPECT_EQ(render(parse(text, "backup").statements), "vrrp_instance VI_0 { priority 200 }");
}

TEST(ConfLanguage, MultiLineDefinitionsMakeBlocks) {
  Parsed p = parse(
      "$VS= \\\n"
      "virtual_server 10.0.${N}.4 80 { \\\n"
      "    lvs_sched rr \\\n"
      "    real_server 192.168.${N}.1 80 { \\\n"
      "    } \\\n"
      "}\n"
      "$N=0\n"
      "$VS\n"
      "$N=1\n"
      "$VS\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements),
            "virtual_server 10.0.0.4 80 { lvs_sched rr; real_server 192.168.0.1 80 {  } }; "
            "virtual_server 10.0.1.4 80 { lvs_sched rr; real_server 192.168.1.1 80 {  } }");
  // Every word of a substituted block is at the '$' that produced it.
  expect_at(p.statements[1].keyword.where, 10, 1);
  expect_at(p.statements[1].block[1].args[0].where, 10, 1);
}

TEST(ConfLanguage, SelfReferenceIsAnErrorNotAHang) {
  Parsed p = parse("$A=x ${A}\nuse $A\nnext 1\n");
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  expect_at(p.diags[0].where, 2, 1);
  EXPECT_EQ(render(p.statements), "next 1");
}

TEST(ConfLanguage, ExponentialGrowthIsStopped) {
  std::string text = "$A0=x\n";
  for (int i = 1; i < 40; ++i) {
    text += "$A" + std::to_string(i) + "=${A" + std::to_string(i - 1) + "}${A" +
            std::to_string(i - 1) + "}\n";
  }
  text += "use ${A39}\nnext 1\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  EXPECT_EQ(render(p.statements), "next 1");
}

TEST(ConfLanguage, ErrorsInsideSubstitutedTextPointAtTheReference) {
  Parsed p = parse("$Q=\"unterminated\nkw   $Q\n");
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  expect_at(p.diags[0].where, 2, 6);
}

// ---- ~SEQ ----------------------------------------------------------------------------------------

TEST(ConfLanguage, SequencesAsInTheManPage) {
  Parsed p = parse("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n"
                   "~SEQx(S, 0x90, 0x10, 0xc0) a fe80::20:${S}:1\n"
                   "~SEQ(D, 3, -1, 1) d $D\n"
                   "~SEQ(E, 2) e $E\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements),
            "ip_address 10.0.0.1; ip_address 10.0.1.1; ip_address 10.0.2.1; ip_address 10.0.3.1; "
            "a fe80::20:90:1; a fe80::20:a0:1; a fe80::20:b0:1; a fe80::20:c0:1; "
            "d 3; d 2; d 1; e 1; e 2");
  expect_at(p.statements[0].keyword.where, 1, 20);
}

TEST(ConfLanguage, NestedSequences) {
  Parsed p = parse("~SEQ(A,1,2) ~SEQ(B,1,2) x ${A}.${B}\n");
  EXPECT_EQ(render(p.statements), "x 1.1; x 1.2; x 2.1; x 2.2");
}

TEST(ConfLanguage, BadSequencesAreErrorsAtTheirPlace) {
  Parsed p = parse("~SEQ(A,1,0,5) x\n~SEQ(1A,1,2) x\n~SEQ(A,1,2 x\n~SEQ(A,1,1000000000) x\nz 1\n");
  ASSERT_EQ(p.diags.size(), 4U) << render(p.diags);
  for (const auto& d : p.diags) EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(p.diags[0].where.line, 1);
  EXPECT_EQ(p.diags[3].where.line, 4);
  EXPECT_EQ(render(p.statements), "z 1");
}

TEST(ConfLanguage, NestedSequencesCannotMultiplyWithoutBound) {
  // 100,000^3 lines would never end: the lines all sequences make are bounded.
  Parsed p = parse("~SEQ(A,1,1000) ~SEQ(B,1,1000) ~SEQ(C,1,1000) x\nz 1\n");
  ASSERT_EQ(p.diags.size(), 1U);
  EXPECT_EQ(p.diags.back().severity, Severity::Error);
  EXPECT_EQ(p.statements.back().keyword.text, "z");
  EXPECT_LE(p.statements.size(), 1'000'001U);
}

}  // namespace
}  // namespace lvsctl::conf
