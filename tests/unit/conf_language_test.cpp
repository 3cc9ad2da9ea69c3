// keepalived's configuration language (keepalived.conf(5), ADVANCED CONFIGURATION): `@ID`
// conditional lines, `$NAME=VALUE` parameters and their substitution, `~SEQ` sequences; each
// word keeps the file:line:col it was written at.
#include "shared/conf/language.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

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

// ---- ~LST ---------------------------------------------------------------------------------------

TEST(ConfLanguage, ListsAsInTheManPage) {
  // keepalived.conf(5) "List blocks": one variable, several at a time in {...}, nested with ~LST
  // and combined with ~SEQ.
  Parsed one = parse("~LST(IF, eth0, eth1 ,eth2) interface $IF\n");
  EXPECT_TRUE(one.diags.empty()) << render(one.diags);
  EXPECT_EQ(render(one.statements), "interface eth0; interface eth1; interface eth2");
  Parsed sets = parse("~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n");
  EXPECT_TRUE(sets.diags.empty()) << render(sets.diags);
  EXPECT_EQ(render(sets.statements), "192.168.10.1; 192.168.20.4; 192.168.5.6; 192.168.12.8");
  Parsed nested = parse("~LST(IP, 1, 2) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n");
  EXPECT_EQ(render(nested.statements),
            "192.169.1.5; 192.169.1.6; 192.169.1.7; 192.169.2.5; 192.169.2.6; 192.169.2.7");
  Parsed mixed = parse("~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,172) 192.${IP2}.${IP}.${IP1}\n");
  EXPECT_TRUE(mixed.diags.empty()) << render(mixed.diags);
  EXPECT_EQ(render(mixed.statements),
            "192.168.10.1; 192.170.10.1; 192.172.10.1; 192.168.20.4; 192.170.20.4; 192.172.20.4");
  // Words keep the column they were written at; the substituted value the column of its '$'.
  ASSERT_EQ(one.statements.size(), 3U);
  ASSERT_EQ(one.statements[1].args.size(), 1U);
  expect_at(one.statements[1].keyword.where, 1, 28);
  expect_at(one.statements[1].args[0].where, 1, 38);
}

TEST(ConfLanguage, ListSetWithFewerValuesLeavesTheRestEmpty) {
  Parsed p = parse("~LST({A, B}, {x}, {y, z}) w${A}-${B} w\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "wx- w; wy-z w");
}

TEST(ConfLanguage, ListVariablesAreParametersAfterwards) {
  // As with ~SEQ, the variable keeps its last value (keepalived defines it as a parameter).
  Parsed p = parse("~LST(N, a, b) k $N\nlast $N\n");
  EXPECT_EQ(render(p.statements), "k a; k b; last b");
}

TEST(ConfLanguage, ListInAParameterValue) {
  Parsed p = parse("$L=~LST(X, 1, 2) item $X\n$L\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "item 1; item 2");
}

TEST(ConfLanguage, BadListsAreErrorsAtTheirPlace) {
  // keepalived: "Invalid ~LST specification" / "~LST specification has too many values".
  Parsed p = parse(
      "~LST X, a) x\n"          // no '('
      "~LST(X) x\n"             // no value
      "~LST(X, a b) x\n"        // blank inside a value
      "~LST(X, a, b x\n"        // no ')'
      "~LST({A, B}, {1,2,3}) x\n"  // more values than variables
      "~LST({A B}, {1,2}) x\n"  // variables not separated by ','
      "~LST(1X, a) x\n"         // not a name
      "~LST({A}, {1} 2) x\n"    // text after a set
      "z 1\n");
  ASSERT_EQ(p.diags.size(), 8U) << render(p.diags);
  for (std::size_t k = 0; k < p.diags.size(); ++k) {
    EXPECT_EQ(p.diags[k].severity, Severity::Error);
    EXPECT_EQ(p.diags[k].where.line, static_cast<int>(k + 1));
    EXPECT_NE(p.diags[k].message.find("~LST"), std::string::npos) << p.diags[k].message;
  }
  expect_at(p.diags[2].where, 3, 11);  // the 'b'
  expect_at(p.diags[4].where, 5, 19);  // the third value
  EXPECT_EQ(render(p.statements), "z 1");
}

TEST(ConfLanguage, NestedListsCannotMultiplyWithoutBound) {
  std::string values = "0";
  for (int k = 1; k < 1000; ++k) values += "," + std::to_string(k);
  Parsed p = parse("~LST(A," + values + ") ~LST(B," + values + ") ~LST(C," + values + ") x\nz 1\n");
  ASSERT_EQ(p.diags.size(), 1U);
  EXPECT_EQ(p.diags.back().severity, Severity::Error);
  EXPECT_EQ(p.statements.back().keyword.text, "z");
  EXPECT_LE(p.statements.size(), 1'000'001U);
}

TEST(ConfLanguage, HugeListIsAnErrorNotAMillionLines) {
  std::string values = "0";
  for (int k = 1; k <= 100000; ++k) values += "," + std::to_string(k);
  Parsed p = parse("~LST(A," + values + ") x $A\nz 1\n");
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  EXPECT_NE(p.diags[0].message.find("100000"), std::string::npos) << p.diags[0].message;
  EXPECT_EQ(render(p.statements), "z 1");
}

// ---- built-in parameters -------------------------------------------------------------------------

Parsed parse_with(std::string_view text, LanguageOptions options, MemorySources files = {},
                  const std::string& file = "/etc/keepalived/keepalived.conf") {
  Parsed p;
  p.statements = parse_statements(text, file, files, p.diags, options);
  return p;
}

TEST(ConfLanguage, BuiltinHashBangInstanceAndPwd) {
  LanguageOptions options;
  options.config_id = "lb1";
  MemorySources files;
  files.add("/etc/keepalived/conf.d/sub.conf", "sub ${_PWD}\n");
  Parsed p = parse_with(
      "id ${_INSTANCE} $_INSTANCE\n"
      "pwd ${_PWD}\n"
      "include conf.d/sub.conf\n"
      "back ${_PWD}\n"
      "s \"a${_HASH}b${_BANG}c\"\n"
      "t x${_HASH}comment\n",
      options, files);
  // Unquoted, the '#' of ${_HASH} starts a comment (keepalived decomments after substituting).
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Warning);
  expect_at(p.diags[0].where, 6, 4);
  EXPECT_EQ(render(p.statements),
            "id lb1 lb1; pwd /etc/keepalived; sub /etc/keepalived/conf.d; back /etc/keepalived; "
            "s a#b!c; t x");
}

TEST(ConfLanguage, BuiltinInstanceDefaultsToTheShortHostName) {
  Parsed p = parse_with("id ${_INSTANCE}\n", LanguageOptions{});
  EXPECT_EQ(render(p.statements), "id " + default_config_id());
}

TEST(ConfLanguage, BuiltinRandomUsesTheInjectedSourceAndRange) {
  std::vector<std::uint32_t> draws{40000, 7, 17, 5, 123456};
  std::size_t next = 0;
  LanguageOptions options;
  options.config_id = "x";
  options.random = [&] { return draws[next++]; };
  Parsed p = parse_with(
      "r ${_RANDOM}\n"          // 40000 % 32768
      "r $_RANDOM\n"            // 7
      "r ${_RANDOM 10 12}\n"    // 17 % 3 + 10
      "r ${_RANDOM 32767}\n"    // 5 % 1 + 32767
      "r ${_RANDOM  100   }\n"  // ends with a blank: not a reference, no draw
      "r ${_RANDOM 1 2 3}\n",   // a third number is ignored: 123456 % 2 + 1
      options);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements),
            "r 7232; r 7; r 12; r 32767; r $ { _RANDOM 100 }; r 1");
  EXPECT_EQ(next, draws.size());
}

TEST(ConfLanguage, BuiltinRandomWithMinAboveMaxIsAnError) {
  LanguageOptions options;
  options.random = [] { return 1U; };
  Parsed p = parse_with("a 1\n  r ${_RANDOM 9 3}\nb 2\n", options);
  ASSERT_EQ(p.diags.size(), 1U) << render(p.diags);
  EXPECT_EQ(p.diags[0].severity, Severity::Error);
  expect_at(p.diags[0].where, 2, 3);
  Parsed big = parse_with("r ${_RANDOM 1 99999999999}\n", options);
  ASSERT_EQ(big.diags.size(), 1U) << render(big.diags);
}

TEST(ConfLanguage, BuiltinsCanBeRedefinedAndUnknownOnesStay) {
  LanguageOptions options;
  options.config_id = "lb1";
  Parsed p = parse_with("$_INSTANCE=mine\nid ${_INSTANCE} ${_NOPE} $_NOPE ${_HASH 1}\n", options);
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "id mine $ { _NOPE }; $_NOPE $ { _HASH 1 }");
}

TEST(ConfLanguage, DollarNameEndsAtCommaAndParenthesisAsInKeepalived) {
  Parsed p = parse("$S=3\n$E=5\n~SEQ(I, $S, $E) n $I\n");
  EXPECT_TRUE(p.diags.empty()) << render(p.diags);
  EXPECT_EQ(render(p.statements), "n 3; n 4; n 5");
}

}  // namespace
}  // namespace lvsctl::conf
