#pragma once
// keepalived's configuration language above the words (keepalived.conf(5), "ADVANCED
// CONFIGURATION"), applied to one physical line of text before it is split into words:
// - `@ID rest` keeps `rest` only when ID is the config id; `@^ID rest` only when it is not.
// - `$NAME=VALUE` defines a parameter (a trailing '\' continues VALUE on the next lines, one value
//   line each); `$NAME` followed by whitespace or the end, and `${NAME}` anywhere, are replaced by
//   the value, recursively, at use time. Undefined names are left as written.
// - `~SEQ(VAR, [START,] [STEP,] END) rest` (and `~SEQx`, hexadecimal) repeats `rest` with $VAR set
//   to each value.
// - `~LST(VAR, V1, V2, ...) rest` repeats `rest` with $VAR set to each value;
//   `~LST({VAR1, VAR2}, {V1, V2}, {V3, V4}, ...) rest` sets several at a time (missing values are
//   empty). Values are not quoted: they end at a blank, ',', '}' or ')'.
// - Built-in parameters (keepalived's "standard definitions"), replaced unless the config defines
//   the same name: ${_PWD} the directory of the file being read, ${_INSTANCE} the config id,
//   ${_RANDOM} / ${_RANDOM MIN} / ${_RANDOM MIN MAX} a random number (default 0..32767),
//   ${_HASH} '#', ${_BANG} '!'. Unknown names are left as written, as keepalived does.
// Every character of a line produced here remembers the column it came from (the `$` of a
// substitution for substituted text), so diagnostics keep the file:line:col of the source.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvsctl::conf {

struct LanguageOptions {
  // Compared with `@ID`; empty means the host name's first label (as keepalived's default).
  std::string config_id;
  // The source of ${_RANDOM}; empty means a generator seeded from the kernel (random_seed()).
  std::function<std::uint32_t()> random;
};

// The host name up to its first '.', as keepalived's default config id.
std::string default_config_id();

// One line of text and, for each byte, the 1-based column in the source line it comes from.
struct MappedLine {
  std::string text;
  std::vector<int> columns;
  static MappedLine from_source(std::string_view text);
  void erase_front(std::size_t n);
  int column_at(std::size_t index) const;  // past the end: after the last column
};

// `@ID`/`@^ID` at the start (after blanks). nullopt: not a conditional line; otherwise whether the
// line is kept, with the prefix removed from `line`.
struct Conditional {
  bool keep = false;
  std::string id;
  bool negated = false;
};
std::optional<Conditional> take_conditional(MappedLine& line, std::string_view config_id);

// `$NAME=VALUE` (only blanks before the '$'): the name and the value text (comment removed,
// blanks trimmed). `continued` is true when the value ended with '\' (the '\' removed).
struct Definition {
  std::string name;
  std::string value;
  bool continued = false;
};
std::optional<Definition> parse_definition(std::string_view text);
// A continuation line of a multi-line definition: trimmed, comment removed, `continued` set when
// it ends with '\' (removed).
std::string definition_line(std::string_view text, bool& continued);

// `~SEQ(...)`/`~SEQx(...)` at the start. On success `line` keeps the rest of the line.
struct Sequence {
  std::string var;
  std::vector<std::string> values;  // formatted (decimal, or hex for ~SEQx)
};
struct SequenceError {
  int column = 0;
  std::string message;
};
// nullopt when the line does not start with ~SEQ; an error sets `error` instead.
std::optional<Sequence> take_sequence(MappedLine& line, std::optional<SequenceError>& error);

// `~LST(...)` at the start. On success `line` keeps the rest of the line; `sets[i][k]` is the
// value of `vars[k]` in the i-th repetition.
struct List {
  std::vector<std::string> vars;
  std::vector<std::vector<std::string>> sets;
};
// nullopt when the line does not start with ~LST; an error sets `error` instead.
std::optional<List> take_list(MappedLine& line, std::optional<SequenceError>& error);

// What the built-in parameters are replaced with.
struct Builtins {
  std::string instance;                   // ${_INSTANCE}
  std::string pwd;                        // ${_PWD}
  std::function<std::uint32_t()> random;  // ${_RANDOM}: value % (MAX - MIN + 1) + MIN
};

class Parameters {
 public:
  static constexpr std::uint64_t kRandomMax = 32767;  // ${_RANDOM}'s default MAX

  // Turns the built-in parameters on (until then only defined names are replaced).
  void set_builtins(Builtins builtins) { builtins_ = std::move(builtins); }
  void set_pwd(std::string pwd) {
    if (builtins_) builtins_->pwd = std::move(pwd);
  }

  static constexpr std::size_t kMaxExpansions = 10000;
  static constexpr std::size_t kMaxLength = 1 << 20;

  void define(std::string name, std::vector<std::string> lines) {
    values_[std::move(name)] = std::move(lines);
  }
  bool empty() const { return values_.empty() && !builtins_; }
  const std::vector<std::string>* find(std::string_view name) const;

  // Replaces every defined $NAME / ${NAME} until none is left. A multi-line value splits the
  // line. Returns false (with `error`) when expansion does not end (a value that refers to
  // itself) or grows beyond kMaxLength, or for a ${_RANDOM MIN MAX} with MIN > MAX or a number
  // beyond 2^32 - 1.
  bool expand(const MappedLine& line, std::vector<MappedLine>& out, std::string& error) const;

 private:
  struct Reference;
  // The first reference to a defined or built-in name in `t`, nullopt when none; false (with
  // `error`) for a malformed ${_RANDOM ...}.
  bool first_reference(std::string_view t, std::optional<Reference>& found,
                       std::string& error) const;
  std::optional<std::vector<std::string>> value_of(std::string_view name,
                                                   std::string_view args, bool has_args,
                                                   std::string& error) const;

  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::optional<Builtins> builtins_;
};

}  // namespace lvsctl::conf
