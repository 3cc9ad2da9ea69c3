#pragma once
// The keepalived.conf tokenizer: one file's text in, one physical line of tokens at a time out.
// It knows nothing of keywords, blocks or include; parse_statements() (statement.hpp) builds on it.
//
// The rules follow keepalived 2.2.7's reader (lib/parser.c: read_line, decomment, alloc_strvec):
// - Lines end at '\n'; trailing '\r's are dropped (CRLF files). Blank lines produce nothing.
// - Whitespace between tokens: space, tab, '\f', '\v', '\r'; also U+00A0 (UTF-8 C2 A0), which
//   keepalived would glue into a word: the token after it has `nbsp_before` set, so that the
//   config builder can say, per block, what keepalived would make of such lines; and a UTF-8
//   byte-order mark at the start of the file (warning).
// - '#' or '!' outside a quoted string starts a comment that runs to the end of the line, also in
//   the middle of a word: `3#seconds` is `3`, `Test123!` is `Test123` (warning: the comment is
//   glued to a word). `\#` and `\!` outside quotes are the characters themselves.
// - "..." is one word without its quotes; '#', '!', '{', '}' and whitespace inside are kept; a
//   backslash keeps the next character verbatim (so `\"` does not end the string). A missing
//   closing quote is an error; the word then runs to the end of the line.
// - '{' and '}' outside quotes are tokens of their own even when glued to a word (`80{`).
// - A backslash at the end of a line (only whitespace after it) is not part of any token; the line
//   is returned with continuation_column() set. keepalived 2.2.7 continues only `$NAME=...`
//   parameter definitions this way; on any other line it keeps the '\' in the word and reads the
//   next line as a new statement. The caller decides (statement.cpp reports an error).
// - A NUL byte is an error and is read as whitespace.
// Nothing here allocates per character; a word's text points into the source text unless it had
// `\#` or `\!` in it.
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "shared/conf/diagnostic.hpp"

namespace lvsctl::conf {

struct Token {
  enum class Kind { Word, OpenBrace, CloseBrace };
  Kind kind = Kind::Word;
  // Word text, unquoted, comment-free. Valid until the next call of Lexer::next_line() and while
  // the source text lives.
  std::string_view text;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  bool quoted = false;
  // U+00A0 no-break space(s) between this token and the one before it (or the line start).
  bool nbsp_before = false;
};

class Lexer {
 public:
  // `text` must outlive the Lexer. `file` names the text in diagnostics. Problems found are
  // appended to `diags`.
  Lexer(std::string_view text, const FileName& file, Diagnostics& diags);

  // Replaces `out` with the tokens of the next line that has any (or ends with a backslash) and
  // returns true; returns false (with `out` empty) when the text is exhausted.
  bool next_line(std::vector<Token>& out);

  // 1-based column of the backslash that ends the line last returned, 0 when there is none.
  int continuation_column() const { return continuation_column_; }
  // Number of the line last returned (1-based).
  int line() const { return line_; }
  // The text of the line last returned (trailing '\r's removed), as in the source.
  std::string_view line_text() const { return line_text_; }
  // The next physical line as text, not split into tokens (multi-line `$NAME=` definitions);
  // false at the end of the text.
  bool next_raw_line(std::string_view& out);

 private:
  void scan_line(std::string_view line, std::vector<Token>& out);
  // Scans an unquoted word starting at `i`; returns the index just past it.
  std::size_t scan_word(std::string_view line, std::size_t i, std::vector<Token>& out);
  std::size_t scan_quoted(std::string_view line, std::size_t i, std::vector<Token>& out);
  void report(Severity severity, std::size_t column0, std::string message);

  std::string_view text_;
  const FileName& file_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;  // start of the next line
  int line_ = 0;         // number of the line being scanned
  int continuation_column_ = 0;
  std::string_view line_text_;
  bool warned_nul_ = false;
  std::deque<std::string> unescaped_;  // texts of this line's words that had `\#` or `\!`
};

}  // namespace lvsctl::conf
