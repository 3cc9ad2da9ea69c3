#include "director/config/build_context.hpp"

#include <fmt/format.h>

#include "director/config/values.hpp"
#include "shared/script_command.hpp"

namespace lvsctl::director::config {

void BuildContext::error(const Location& at, std::string message) {
  diags_.push_back({conf::Severity::Error, at, std::move(message)});
}

void BuildContext::warning(const Location& at, std::string message) {
  diags_.push_back({conf::Severity::Warning, at, std::move(message)});
}

bool BuildContext::first_in_file(std::string_view tag, const Location& at) {
  return said_in_file_.emplace(std::string(tag), at.file.str()).second;
}

bool BuildContext::arg_count(const conf::Statement& s, std::size_t min_args, std::size_t max_args) {
  const std::size_t n = s.args.size();
  if (n < min_args) {
    error(s.keyword.where, min_args == 1
                               ? fmt::format("'{}' needs a value", name(s))
                               : fmt::format("'{}' needs {} values, got {}", name(s), min_args, n));
    return false;
  }
  if (max_args != kAny && n > max_args) {
    const conf::Word& extra = s.args[max_args];
    if (max_args == 0) {
      error(extra.where, fmt::format("'{}' takes no value, got '{}'", name(s), extra.text));
    } else {
      error(extra.where, fmt::format("'{}' takes at most {} value{}; unexpected '{}'", name(s),
                                     max_args, max_args == 1 ? "" : "s", extra.text));
    }
    return false;
  }
  return true;
}

const conf::Word* BuildContext::word(const conf::Statement& s, std::size_t i) {
  if (i < s.args.size()) return &s.args[i];
  error(s.keyword.where, fmt::format("'{}' needs a value", name(s)));
  return nullptr;
}

std::optional<std::uint64_t> BuildContext::unsigned_arg(const conf::Statement& s, std::size_t i,
                                                        std::uint64_t low, std::uint64_t high) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  auto v = parse_unsigned(w->text);
  if (!v) {
    error(w->where, fmt::format("'{}' value '{}' is not a whole number", name(s), w->text));
    return std::nullopt;
  }
  if (*v < low || *v > high) {
    error(w->where,
          fmt::format("'{}' value {} is out of range {}-{}", name(s), w->text, low, high));
    return std::nullopt;
  }
  return v;
}

std::optional<unsigned> BuildContext::repeat_count_arg(const conf::Statement& s) {
  if (!arg_count(s, 1, 1)) return std::nullopt;
  auto v = unsigned_arg(s, 0, 0, 4294967295U);
  if (!v) return std::nullopt;
  if (*v == 0) {
    warning(s.args[0].where,
            fmt::format("'{}' must be greater than 0: set to 1, as keepalived 2.2.7 does", name(s)));
    return 1U;
  }
  return static_cast<unsigned>(*v);
}

std::optional<std::int64_t> BuildContext::signed_arg(const conf::Statement& s, std::size_t i,
                                                     std::int64_t low, std::int64_t high) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  auto v = parse_signed(w->text);
  if (!v) {
    error(w->where, fmt::format("'{}' value '{}' is not an integer", name(s), w->text));
    return std::nullopt;
  }
  if (*v < low || *v > high) {
    error(w->where,
          fmt::format("'{}' value {} is out of range {}..{}", name(s), w->text, low, high));
    return std::nullopt;
  }
  return v;
}

std::optional<Duration> BuildContext::timer_arg(const conf::Statement& s, std::size_t i,
                                                Duration min_value) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  auto v = parse_timer(w->text);
  if (!v) {
    error(w->where, fmt::format("'{}' value '{}' is not a time in seconds (e.g. 3 or 0.5)", name(s),
                                w->text));
    return std::nullopt;
  }
  if (*v < min_value) {
    error(w->where, fmt::format("'{}' value {} must be at least {} seconds", name(s), w->text,
                                duration_seconds(min_value)));
    return std::nullopt;
  }
  return v;
}

std::optional<IpAddress> BuildContext::address_arg(const conf::Statement& s, std::size_t i) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  auto a = IpAddress::parse(w->text);
  if (!a) {
    error(w->where, fmt::format("'{}': '{}' is not an IP address", name(s), w->text));
  }
  return a;
}

std::optional<std::uint16_t> BuildContext::port_arg(const conf::Statement& s, std::size_t i) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  auto v = parse_unsigned(w->text);
  if (!v || *v > 65535) {
    error(w->where, fmt::format("'{}': '{}' is not a port (0-65535)", name(s), w->text));
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*v);
}

std::optional<bool> BuildContext::flag_arg(const conf::Statement& s, std::size_t i) {
  if (i >= s.args.size()) return true;
  const conf::Word& w = s.args[i];
  auto b = parse_bool(w.text);
  if (!b) {
    error(w.where,
          fmt::format("'{}' value '{}' is not one of on|off|true|false|yes|no", name(s), w.text));
  }
  return b;
}

std::optional<std::string> BuildContext::string_arg(const conf::Statement& s) {
  if (!arg_count(s, 1, 1)) return std::nullopt;
  return s.args[0].text;
}

// A script's command line is split into argv without a shell (shared/script_command), as
// keepalived does: a "..." word has its escapes decoded first (keepalived reads the line with
// escapes, then splits the script's word again), and a line that cannot be split is an error here.
bool BuildContext::script_words(const conf::Statement& s, std::size_t first, std::size_t count,
                                std::string& command) {
  for (std::size_t i = first; i < first + count; ++i) {
    const conf::Word& w = s.args[i];
    std::string text = w.text;
    if (w.quoted) {
      auto decoded = decode_script_escapes(w.text);
      if (!decoded) {
        error(w.where, fmt::format("'{}': {}", name(s), decoded.error().message));
        return false;
      }
      text = std::move(*decoded);
    }
    if (!command.empty()) command += ' ';
    command += text;
  }
  const conf::Word& at = s.args[first];
  auto argv = split_script_command(command);
  if (!argv) {
    error(at.where, fmt::format("'{}': {}", name(s), argv.error().message));
    return false;
  }
  if (auto shellish = shell_syntax_words(*argv); !shellish.empty()) {
    warning(at.where,
            fmt::format("'{}': '{}' is passed to {} as an argument: scripts run without a shell "
                        "(as keepalived runs them); to use shell syntax, name a shell: "
                        "\"/bin/sh -c '...'\"",
                        name(s), shellish.front(), argv->front()));
  }
  return true;
}

std::optional<ScriptCommand> BuildContext::notify_script(const conf::Statement& s) {
  if (!arg_count(s, 1, 3)) return std::nullopt;
  ScriptCommand c;
  if (!script_words(s, 0, 1, c.command)) return std::nullopt;
  if (s.args.size() > 1) c.user = s.args[1].text;
  if (s.args.size() > 2) c.group = s.args[2].text;
  c.where = s.keyword.where;
  return c;
}

std::optional<ScriptCommand> BuildContext::command_line(const conf::Statement& s) {
  if (!arg_count(s, 1, kAny)) return std::nullopt;
  ScriptCommand c;
  if (!script_words(s, 0, s.args.size(), c.command)) return std::nullopt;
  c.where = s.keyword.where;
  return c;
}

std::optional<std::size_t> BuildContext::choice_arg(const conf::Statement& s, std::size_t i,
                                                    std::initializer_list<std::string_view> choices,
                                                    bool keepalived_ignores_case) {
  const conf::Word* w = word(s, i);
  if (!w) return std::nullopt;
  std::size_t index = 0;
  for (auto c : choices) {
    if (w->text == c) return index;
    ++index;
  }
  index = 0;
  for (auto c : choices) {
    if (iequals(w->text, c)) {
      if (!keepalived_ignores_case) {
        warning(w->where, fmt::format("'{} {}' read as '{}'; keepalived 2.2.7 only accepts '{}' "
                                      "(it would ignore this line), so write '{}'",
                                      name(s), w->text, c, c, c));
      }
      return index;
    }
    ++index;
  }
  error(w->where,
        fmt::format("'{}' value '{}' is not one of {}", name(s), w->text, fmt::join(choices, "|")));
  return std::nullopt;
}

}  // namespace lvsctl::director::config
