#pragma once
// Internal to the config builder: where diagnostics go, and argument readers that report a
// precise error (keyword, offending value, file:line:col of the value) when a value is bad.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <string_view>

#include "director/config/model.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::director::config {

class BuildContext {
 public:
  explicit BuildContext(conf::Diagnostics& diags) : diags_(diags) {}

  void error(const Location& at, std::string message);
  void warning(const Location& at, std::string message);
  // True the first time `tag` is asked for in the file of `at` (one warning per file).
  bool first_in_file(std::string_view tag, const Location& at);

  // True when `s` has between min_args and max_args arguments; otherwise reports it.
  bool arg_count(const conf::Statement& s, std::size_t min_args, std::size_t max_args);
  static constexpr std::size_t kAny = static_cast<std::size_t>(-1);

  // Readers of argument `i` (0-based, after the keyword). Each reports and returns nullopt
  // when the argument is missing or invalid.
  std::optional<std::uint64_t> unsigned_arg(const conf::Statement& s, std::size_t i,
                                            std::uint64_t low, std::uint64_t high);
  // The single argument, a repeat count 0-4294967295 where keepalived allows 0 only for
  // compatibility and makes it 1 (an error line that does not stop it): here a warning, then 1.
  std::optional<unsigned> repeat_count_arg(const conf::Statement& s);
  std::optional<std::int64_t> signed_arg(const conf::Statement& s, std::size_t i, std::int64_t low,
                                         std::int64_t high);
  // Seconds with fractions; must be >= min_value.
  std::optional<Duration> timer_arg(const conf::Statement& s, std::size_t i,
                                    Duration min_value = Duration{0});
  std::optional<IpAddress> address_arg(const conf::Statement& s, std::size_t i);
  std::optional<std::uint16_t> port_arg(const conf::Statement& s, std::size_t i);
  // An optional boolean: missing means true (`alpha`, `inhibit_on_failure yes`).
  std::optional<bool> flag_arg(const conf::Statement& s, std::size_t i);
  // The single string argument.
  std::optional<std::string> string_arg(const conf::Statement& s);
  // notify_* / quorum_*: COMMAND [USER [GROUP]].
  std::optional<ScriptCommand> notify_script(const conf::Statement& s);
  // script / misc_path: every argument is part of the command.
  std::optional<ScriptCommand> command_line(const conf::Statement& s);
  // Appends args[first, first+count) to `command` as a script's command line (quoted words with
  // their escapes decoded) and checks that it splits into argv; false after an error.
  bool script_words(const conf::Statement& s, std::size_t first, std::size_t count,
                    std::string& command);

  // Matches `word` against `choices` (as keepalived spells them). An exact match is silent;
  // a match that differs only in case is accepted with a warning (keepalived 2.2.7 compares
  // these case-sensitively); anything else is an error listing the choices.
  std::optional<std::size_t> choice_arg(const conf::Statement& s, std::size_t i,
                                        std::initializer_list<std::string_view> choices,
                                        bool keepalived_ignores_case = false);

  static std::string name(const conf::Statement& s) { return s.keyword.text; }

 private:
  const conf::Word* word(const conf::Statement& s, std::size_t i);
  conf::Diagnostics& diags_;
  std::set<std::pair<std::string, std::string>> said_in_file_;  // (tag, file)
};

}  // namespace lvsctl::director::config
