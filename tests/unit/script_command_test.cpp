// split_script_command: a script's command line into argv by keepalived 2.2.7's rules (no shell).
#include <gtest/gtest.h>

#include <cerrno>

#include "shared/script_command.hpp"

namespace lvsctl {
namespace {

using Argv = std::vector<std::string>;

Argv split(std::string_view text) {
  auto argv = split_script_command(text);
  EXPECT_TRUE(argv.ok()) << text << ": " << (argv.ok() ? "" : argv.error().message);
  return argv.ok() ? *argv : Argv{};
}

std::string split_error(std::string_view text) {
  auto argv = split_script_command(text);
  EXPECT_FALSE(argv.ok()) << text;
  if (argv.ok()) return {};
  EXPECT_EQ(argv.error().code, EINVAL);
  return argv.error().message;
}

TEST(SplitScriptCommand, WhitespaceSeparatesWords) {
  EXPECT_EQ(split("/bin/true"), (Argv{"/bin/true"}));
  EXPECT_EQ(split("  /x.sh   a b  "), (Argv{"/x.sh", "a", "b"}));
  EXPECT_EQ(split("/x.sh\ta\t\tb"), (Argv{"/x.sh", "a", "b"}));
  EXPECT_EQ(split("/x.sh\fa\vb\rc\nd"), (Argv{"/x.sh", "a", "b", "c", "d"}));
}

TEST(SplitScriptCommand, ShellSyntaxIsPassedAsArguments) {
  EXPECT_EQ(split("/safe/script.sh && /tmp/ww.sh"), (Argv{"/safe/script.sh", "&&", "/tmp/ww.sh"}));
  EXPECT_EQ(split("/safe/script.sh; /tmp/ww.sh"), (Argv{"/safe/script.sh;", "/tmp/ww.sh"}));
  EXPECT_EQ(split("/safe/script.sh $(/tmp/ww.sh)"), (Argv{"/safe/script.sh", "$(/tmp/ww.sh)"}));
  EXPECT_EQ(split("/x.sh `id` > /f | y * $HOME"),
            (Argv{"/x.sh", "`id`", ">", "/f", "|", "y", "*", "$HOME"}));
}

// keepalived.conf(5), "Quoted strings".
TEST(SplitScriptCommand, KeepalivedsDocumentedExamples) {
  EXPECT_EQ(split("abcd\" efg h jkl \"mnop"), (Argv{"abcd efg h jkl mnop"}));
  EXPECT_EQ(split("abcd \"efg h jkl\" mnop"), (Argv{"abcd", "efg h jkl", "mnop"}));
  // "unquoted spaces separate the parameters ... a parameter with a space in single quotes".
  EXPECT_EQ(split("/path/fault.sh VG_1"), (Argv{"/path/fault.sh", "VG_1"}));
  EXPECT_EQ(split("/x.sh 'arg 1' arg2"), (Argv{"/x.sh", "arg 1", "arg2"}));
  // "\\ is a \ character and \" will be a " character, but it won't start or end a string".
  EXPECT_EQ(split(R"(/x.sh a\\b \"c d\")"), (Argv{"/x.sh", R"(a\b)", "\"c", "d\""}));
}

TEST(SplitScriptCommand, QuotesGroupAndNestTheOtherKind) {
  EXPECT_EQ(split(R"(/x.sh "it's" 'say "hi"')"), (Argv{"/x.sh", "it's", "say \"hi\""}));
  EXPECT_EQ(split("/x.sh a'b c'd"), (Argv{"/x.sh", "ab cd"}));
  EXPECT_EQ(split("/x.sh \"\" ''"), (Argv{"/x.sh", "", ""}));
  EXPECT_EQ(split("/x.sh \"a\tb\""), (Argv{"/x.sh", "a\tb"}));
  EXPECT_EQ(split("\"/dir with space/x.sh\" 1"), (Argv{"/dir with space/x.sh", "1"}));
}

TEST(SplitScriptCommand, BackslashEscapesEverywhere) {
  EXPECT_EQ(split(R"(/x.sh a\ b)"), (Argv{"/x.sh", "a b"}));
  // Unlike sh, escapes also work inside single quotes.
  EXPECT_EQ(split(R"(/x.sh 'a\'b' "c\"d")"), (Argv{"/x.sh", "a'b", "c\"d"}));
  EXPECT_EQ(split(R"(/x.sh \a\b\E\f\n\r\t\v)"), (Argv{"/x.sh", "\a\b\x1b\f\n\r\t\v"}));
  EXPECT_EQ(split(R"(/x.sh \x41\x4a \x4a4b \xg)"), (Argv{"/x.sh", "AJ", "K", "xg"}));
  // At most three octal digits: \0101 is \010 then '1'.
  EXPECT_EQ(split(R"(/x.sh \101\0101 \7a)"), (Argv{"/x.sh", "A\b1", "\aa"}));
  EXPECT_EQ(split(R"(/x.sh \cA\cz \c)"), (Argv{"/x.sh", "\x01\x1a", "c"}));
  EXPECT_EQ(split(R"(/x.sh \q\$\;)"), (Argv{"/x.sh", "q$;"}));
}

TEST(SplitScriptCommand, ErrorsSayWhat) {
  EXPECT_EQ(split_error("/x.sh 'a b"), "'/x.sh 'a b': missing closing ' for the quote at character 7");
  EXPECT_EQ(split_error("/x.sh \"a b"),
            "'/x.sh \"a b': missing closing \" for the quote at character 7");
  EXPECT_EQ(split_error("/x.sh a\\"), "'/x.sh a\\': a backslash ends the text at character 8");
  EXPECT_NE(split_error("/x.sh \\x00").find("NUL"), std::string::npos);
  EXPECT_NE(split_error("/x.sh \\0").find("NUL"), std::string::npos);
  EXPECT_EQ(split_error(""), "empty command: no program to run");
  EXPECT_EQ(split_error(" \t "), "empty command: no program to run");
}

TEST(DecodeScriptEscapes, DecodesOnceAndKeepsQuotes) {
  EXPECT_EQ(*decode_script_escapes(R"(/x.sh \"a b\" 'c')"), R"(/x.sh "a b" 'c')");
  EXPECT_EQ(*decode_script_escapes(R"(a\\ b)"), R"(a\ b)");
  EXPECT_EQ(*decode_script_escapes("plain"), "plain");
  EXPECT_FALSE(decode_script_escapes("a\\").ok());
}

TEST(ShellSyntaxWords, NamesWhatAShellWouldHaveRun) {
  EXPECT_EQ(shell_syntax_words({"/x.sh", "&&", "/y"}), (Argv{"&&"}));
  EXPECT_EQ(shell_syntax_words({"/x.sh;", "/y"}), (Argv{"/x.sh;"}));
  EXPECT_EQ(shell_syntax_words({"/x.sh", "$(/y)"}), (Argv{"$(/y)"}));
  EXPECT_EQ(shell_syntax_words({"/x.sh", ">/f", "|", "`id`"}), (Argv{">/f", "|", "`id`"}));
  EXPECT_TRUE(shell_syntax_words({"/x.sh", "MASTER", "a-b", "x=1"}).empty());
}

TEST(ScriptArgv, FindsTheProgramInPathLikeExecvp) {
  auto argv = script_argv("sh -c 'exit 0'");
  ASSERT_TRUE(argv.ok()) << argv.error().message;
  EXPECT_TRUE(argv->front().ends_with("/sh")) << argv->front();
  EXPECT_EQ(argv->at(2), "exit 0");
  EXPECT_EQ(script_argv("/no/such/x a")->front(), "/no/such/x");  // a path is used as written
  auto missing = script_argv("no-such-program-lvsctl-test a");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ENOENT);
  EXPECT_FALSE(script_argv("/x.sh 'open").ok());
}

}  // namespace
}  // namespace lvsctl
