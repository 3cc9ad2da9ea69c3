#pragma once
// The keepalived.conf language without its meaning: text in, a tree of statements out.
// A statement is a keyword, the words after it on the same logical line, and an optional
// `{ ... }` block of further statements. Nothing here knows what a keyword means; the director's
// config builder (director/config/) gives the tree its meaning.
#include <string>
#include <string_view>
#include <vector>

#include "shared/conf/diagnostic.hpp"
#include "shared/conf/language.hpp"
#include "shared/result.hpp"

namespace lvsctl::conf {

struct Word {
  std::string text;   // unquoted, comment-free
  Location where;     // where the word starts
  bool quoted = false;
  // Separated from the word before it (or indented) by U+00A0 no-break spaces, which keepalived
  // reads as part of a word: it would misread this statement.
  bool nbsp_before = false;
};

struct Statement {
  Word keyword;
  std::vector<Word> args;
  bool has_block = false;
  std::vector<Statement> block;
};

// What expanding an include pattern gave.
struct GlobOutcome {
  std::vector<std::string> paths;  // sorted; empty when nothing matched or `refused`
  std::string refused;  // non-empty: the pattern was not expanded (or its matches are not to be
                        // read), and why; reported as an error at the include
  std::string skipped;  // non-empty: some directories were not searched, and why (a warning)
};

// The file system behind `include`: reading one file and expanding a glob pattern. The real one
// (SourceFiles) reads the disk; tests give an in-memory map.
class SourceReader {
 public:
  virtual ~SourceReader() = default;
  virtual Result<std::string> read(const std::string& path) = 0;
  // Paths matching `pattern`, sorted; empty when nothing matches.
  virtual std::vector<std::string> glob(const std::string& pattern) = 0;
  // glob() with the reasons a reader refuses a pattern or skips part of the search; the parser
  // calls this one. By default: glob(), nothing refused.
  virtual GlobOutcome expand(const std::string& pattern) { return GlobOutcome{glob(pattern), {}, {}}; }
};

// What one load (parse_statements with its includes) reads at most; beyond them an include is
// refused with an error at its file:line:col naming the limit.
inline constexpr std::size_t kMaxFilesPerInclude = 1000;        // matches of one include
inline constexpr std::size_t kMaxFilesPerLoad = 10000;          // included files read in all
inline constexpr std::size_t kMaxBytesPerLoad = std::size_t{64} << 20;  // text, main file too

// Splits `text` (the contents of `file`) into statements. `include PATTERN` is expanded in place,
// with relative patterns taken from the directory of the including file. Every problem found
// (unbalanced braces, unterminated quotes, include loops, unreadable includes) is appended to
// `diags` with its file:line:col; parsing continues where it can.
// `@ID` lines, `$NAME=` parameters, the built-in `${_PWD}` etc., `~SEQ` and `~LST` (language.hpp)
// are applied as keepalived does;
// `options.config_id` empty means default_config_id().
std::vector<Statement> parse_statements(std::string_view text, const std::string& file,
                                        SourceReader& reader, Diagnostics& diags,
                                        const LanguageOptions& options = {});

}  // namespace lvsctl::conf
