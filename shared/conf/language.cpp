#include "shared/conf/language.hpp"

#include <sys/utsname.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

namespace lvsctl::conf {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }
bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && is_blank(s[i])) ++i;
  return i;
}

std::string_view trim(std::string_view s) {
  std::size_t b = skip_blanks(s, 0);
  std::size_t e = s.size();
  while (e > b && is_blank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// The text before an unquoted '#' or '!' (a backslash keeps the next character).
std::string_view decomment(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '#' || c == '!')) {
      return s.substr(0, i);
    }
  }
  return s;
}

// Removes a final '\' (continuation); true when there was one.
bool take_continuation(std::string_view& s) {
  s = trim(s);
  if (s.empty() || s.back() != '\\') return false;
  s.remove_suffix(1);
  s = trim(s);
  return true;
}

std::optional<long long> parse_number(std::string_view text) {
  const std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 0);
  if (errno != 0 || end == nullptr || *end != '\0') return std::nullopt;
  return v;
}

}  // namespace

std::string default_config_id() {
  struct utsname u {};
  if (::uname(&u) != 0) return {};
  std::string name = u.nodename;
  if (const auto dot = name.find('.'); dot != std::string::npos) name.resize(dot);
  return name;
}

MappedLine MappedLine::from_source(std::string_view text) {
  MappedLine m;
  m.text.assign(text);
  m.columns.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) m.columns[i] = static_cast<int>(i + 1);
  return m;
}

void MappedLine::erase_front(std::size_t n) {
  text.erase(0, n);
  columns.erase(columns.begin(), columns.begin() + static_cast<long>(n));
}

int MappedLine::column_at(std::size_t index) const {
  if (index < columns.size()) return columns[index];
  return columns.empty() ? 1 : columns.back() + 1;
}

std::optional<Conditional> take_conditional(MappedLine& line, std::string_view config_id) {
  const std::size_t at = skip_blanks(line.text, 0);
  if (at >= line.text.size() || line.text[at] != '@') return std::nullopt;
  Conditional c;
  std::size_t i = at + 1;
  if (i < line.text.size() && line.text[i] == '^') {
    c.negated = true;
    ++i;
  }
  std::size_t end = i;
  while (end < line.text.size() && !is_blank(line.text[end])) ++end;
  c.id = line.text.substr(i, end - i);
  c.keep = (c.id == config_id) != c.negated;
  line.erase_front(end);
  return c;
}

std::optional<Definition> parse_definition(std::string_view text) {
  const std::size_t at = skip_blanks(text, 0);
  if (at + 1 >= text.size() || text[at] != '$' || !is_name_start(text[at + 1])) {
    return std::nullopt;
  }
  std::size_t end = at + 1;
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end >= text.size() || text[end] != '=') return std::nullopt;
  Definition d;
  d.name = text.substr(at + 1, end - at - 1);
  std::string_view value = decomment(text.substr(end + 1));
  d.continued = take_continuation(value);
  d.value = trim(value);
  return d;
}

std::string definition_line(std::string_view text, bool& continued) {
  std::string_view value = decomment(text);
  continued = take_continuation(value);
  return std::string(trim(value));
}

std::optional<Sequence> take_sequence(MappedLine& line, std::optional<SequenceError>& error) {
  const std::size_t at = skip_blanks(line.text, 0);
  std::string_view t(line.text);
  if (t.substr(at, 4) != "~SEQ") return std::nullopt;
  std::size_t i = at + 4;
  const bool hex = i < t.size() && t[i] == 'x';
  if (hex) ++i;
  auto fail = [&](std::size_t index, std::string message) -> std::optional<Sequence> {
    error = SequenceError{line.column_at(index), std::move(message)};
    return std::nullopt;
  };
  if (i >= t.size() || t[i] != '(') return fail(at, "'~SEQ' needs '(VAR, START, STEP, END)'");
  const std::size_t close = t.find(')', i);
  if (close == std::string_view::npos) return fail(i, "'~SEQ(' has no closing ')'");
  std::vector<std::string_view> args;
  std::string_view inside = t.substr(i + 1, close - i - 1);
  for (std::size_t start = 0;;) {
    const std::size_t comma = inside.find(',', start);
    args.push_back(trim(inside.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (args.size() < 2 || args.size() > 4) {
    return fail(i, "'~SEQ' takes (VAR, END), (VAR, START, END) or (VAR, START, STEP, END)");
  }
  Sequence seq;
  seq.var = args[0];
  if (seq.var.empty() || !is_name_start(seq.var[0])) {
    return fail(i + 1, fmt::format("'~SEQ' variable '{}' is not a name", seq.var));
  }
  for (char c : seq.var) {
    if (!is_name_char(c)) {
      return fail(i + 1, fmt::format("'~SEQ' variable '{}' is not a name", seq.var));
    }
  }
  std::vector<long long> n;
  for (std::size_t k = 1; k < args.size(); ++k) {
    auto v = parse_number(args[k]);
    if (!v) return fail(i + 1, fmt::format("'~SEQ' value '{}' is not a number", args[k]));
    n.push_back(*v);
  }
  const long long end = n.back();
  const long long start = n.size() >= 2 ? n[0] : (end > 0 ? 1 : -1);
  const long long step = n.size() == 3 ? n[1] : (end >= start ? 1 : -1);
  if (step == 0) return fail(i + 1, "'~SEQ' step is 0");
  constexpr long long kMaxValues = 100000;
  const long long count = (end - start) / step + 1;
  if (count > kMaxValues) {
    return fail(i + 1, fmt::format("'~SEQ' gives {} values; at most {} allowed", count, kMaxValues));
  }
  for (long long v = start; step > 0 ? v <= end : v >= end; v += step) {
    seq.values.push_back(hex ? fmt::format("{:x}", v) : fmt::format("{}", v));
  }
  line.erase_front(close + 1);
  return seq;
}

std::optional<List> take_list(MappedLine& line, std::optional<SequenceError>& error) {
  const std::size_t at = skip_blanks(line.text, 0);
  const std::string_view t(line.text);
  if (t.substr(at, 4) != "~LST") return std::nullopt;
  auto fail = [&](std::size_t index, std::string message) -> std::optional<List> {
    error = SequenceError{line.column_at(index), std::move(message)};
    return std::nullopt;
  };
  auto blanks = [&](std::size_t i) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    return i;
  };
  // A word up to one of `stops` (or the end of the line).
  auto word_end = [&](std::size_t i, std::string_view stops) {
    while (i < t.size() && stops.find(t[i]) == std::string_view::npos) ++i;
    return i;
  };
  std::size_t i = blanks(at + 4);
  if (i >= t.size() || t[i] != '(') {
    return fail(at, "'~LST' needs '(VAR, VALUE, ...)' or '({VAR, ...}, {VALUE, ...}, ...)'");
  }
  i = blanks(i + 1);
  List list;
  // The variables: one name, or several in {...}.
  const bool braced_vars = i < t.size() && t[i] == '{';
  if (braced_vars) i = blanks(i + 1);
  const char vars_end = braced_vars ? '}' : ',';
  for (;;) {
    const std::size_t b = i;
    i = word_end(i, " \t,}");
    std::string name(t.substr(b, i - b));
    bool is_name = !name.empty() && is_name_start(name[0]);
    for (char c : name) is_name = is_name && is_name_char(c);
    if (!is_name) return fail(b, fmt::format("'~LST' variable '{}' is not a name", name));
    list.vars.push_back(std::move(name));
    i = blanks(i);
    if (i < t.size() && t[i] == vars_end) break;
    if (i >= t.size() || t[i] != ',') {
      return fail(i, braced_vars ? "'~LST' variables in '{...}' are separated by ',' and end "
                                   "with '}'"
                                 : "'~LST' needs ',' and a value after the variable");
    }
    i = blanks(i + 1);
  }
  if (braced_vars) i = blanks(i + 1);
  if (i >= t.size() || t[i] != ',') {
    return fail(i, "'~LST' needs ',' and at least one value after the variables");
  }
  i = blanks(i + 1);
  // The values: one per repetition, or a {...} set per repetition.
  constexpr std::size_t kMaxSets = 100000;
  for (;;) {
    const bool braced = i < t.size() && t[i] == '{';
    if (braced) i = blanks(i + 1);
    const char set_end = braced ? '}' : ',';
    std::vector<std::string> set;
    for (;;) {
      const std::size_t b = i;
      i = word_end(i, " \t,})");
      set.emplace_back(t.substr(b, i - b));
      i = blanks(i);
      if (i < t.size() && (t[i] == set_end || (t[i] == ')' && !braced))) break;
      if (i >= t.size() || t[i] != ',') {
        return fail(i, braced ? "'~LST' values in '{...}' are separated by ',' and end with '}'"
                              : "'~LST' values are separated by ',' and end with ')'");
      }
      i = blanks(i + 1);
      if (set.size() >= list.vars.size()) {
        return fail(i, fmt::format("'~LST' value set has more values than the {} variable(s)",
                                   list.vars.size()));
      }
    }
    set.resize(list.vars.size());  // missing values are empty
    if (list.sets.size() >= kMaxSets) {
      return fail(i, fmt::format("'~LST' has more than {} values", kMaxSets));
    }
    list.sets.push_back(std::move(set));
    if (braced) i = blanks(i + 1);
    if (i < t.size() && t[i] == ')') break;
    if (i >= t.size() || t[i] != ',') {
      return fail(i, "'~LST' values are separated by ',' and end with ')'");
    }
    i = blanks(i + 1);
  }
  line.erase_front(blanks(i + 1));
  return list;
}

const std::vector<std::string>* Parameters::find(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

struct Parameters::Reference {
  std::size_t start = 0;
  std::size_t end = 0;  // one past
  std::vector<std::string> value;
};

namespace {

bool parse_u32(std::string_view digits, std::uint64_t& out) {
  out = 0;
  for (char c : digits) {
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
    if (out > 0xffffffffULL) return false;
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> Parameters::value_of(std::string_view name,
                                                             std::string_view args,
                                                             bool has_args,
                                                             std::string& error) const {
  if (auto* v = find(name)) {
    if (has_args) return std::nullopt;  // only ${_RANDOM ...} takes numbers
    return *v;
  }
  if (!builtins_) return std::nullopt;
  if (name == "_RANDOM") {
    std::uint64_t lo = 0;
    std::uint64_t hi = kRandomMax;
    std::vector<std::string_view> numbers;
    for (std::size_t i = 0; i < args.size();) {
      i = skip_blanks(args, i);
      std::size_t e = i;
      while (e < args.size() && !is_blank(args[e])) ++e;
      if (e > i) numbers.push_back(args.substr(i, e - i));
      i = e;
    }
    // As keepalived: a third number and beyond are ignored.
    if (!numbers.empty() && !parse_u32(numbers[0], lo)) {
      error = fmt::format("${{_RANDOM}} minimum {} is beyond 4294967295", numbers[0]);
      return std::nullopt;
    }
    if (numbers.size() >= 2 && !parse_u32(numbers[1], hi)) {
      error = fmt::format("${{_RANDOM}} maximum {} is beyond 4294967295", numbers[1]);
      return std::nullopt;
    }
    if (lo > hi) {
      error = fmt::format("${{_RANDOM {} {}}}: the minimum is greater than the maximum", lo, hi);
      return std::nullopt;
    }
    const std::uint64_t r = builtins_->random ? builtins_->random() : 0;
    return std::vector<std::string>{fmt::format("{}", r % (hi - lo + 1) + lo)};
  }
  if (has_args) return std::nullopt;
  if (name == "_PWD") return std::vector<std::string>{builtins_->pwd};
  if (name == "_INSTANCE") return std::vector<std::string>{builtins_->instance};
  if (name == "_HASH") return std::vector<std::string>{"#"};
  if (name == "_BANG") return std::vector<std::string>{"!"};
  return std::nullopt;
}

bool Parameters::first_reference(std::string_view t, std::optional<Reference>& found,
                                 std::string& error) const {
  for (std::size_t i = t.find('$'); i != std::string_view::npos; i = t.find('$', i + 1)) {
    if (i + 1 >= t.size()) break;
    const bool braces = t[i + 1] == '{';
    const std::size_t name_at = i + (braces ? 2 : 1);
    if (name_at >= t.size() || !is_name_start(t[name_at])) continue;
    std::size_t end = name_at;
    while (end < t.size() && is_name_char(t[end])) ++end;
    const std::string_view name = t.substr(name_at, end - name_at);
    if (braces) {
      // ${NAME} or ${NAME NUMBERS...} (blanks and digits, ending with a digit).
      std::size_t close = end;
      bool has_args = false;
      while (close < t.size() && (t[close] == ' ' || (t[close] >= '0' && t[close] <= '9'))) {
        has_args = has_args || t[close] != ' ';
        ++close;
      }
      if (close >= t.size() || t[close] != '}') continue;
      if (has_args && t[close - 1] == ' ') continue;
      auto v = value_of(name, t.substr(end, close - end), has_args, error);
      if (!error.empty()) return false;
      if (v) {
        found = Reference{i, close + 1, std::move(*v)};
        return true;
      }
      continue;
    }
    // $NAME ends at a blank, ',', ')' or the end of the line (keepalived's terminators).
    if (end < t.size() && !is_blank(t[end]) && t[end] != ',' && t[end] != ')') continue;
    auto v = value_of(name, {}, false, error);
    if (!error.empty()) return false;
    if (v) {
      found = Reference{i, end, std::move(*v)};
      return true;
    }
  }
  return true;
}

namespace {

MappedLine piece(std::string_view text, int column) {
  MappedLine m;
  m.text.assign(text);
  m.columns.assign(text.size(), column);
  return m;
}

void append(MappedLine& to, const MappedLine& from, std::size_t begin, std::size_t end) {
  to.text.append(from.text, begin, end - begin);
  to.columns.insert(to.columns.end(), from.columns.begin() + static_cast<long>(begin),
                    from.columns.begin() + static_cast<long>(end));
}

}  // namespace

bool Parameters::expand(const MappedLine& input, std::vector<MappedLine>& out,
                        std::string& error) const {
  std::size_t budget = kMaxExpansions;
  // Lines still to expand, last first (so that output keeps the order).
  std::vector<MappedLine> todo{input};
  while (!todo.empty()) {
    MappedLine line = std::move(todo.back());
    todo.pop_back();
    std::optional<Reference> ref;
    if (!first_reference(line.text, ref, error)) return false;
    if (!ref) {
      out.push_back(std::move(line));
      continue;
    }
    if (budget-- == 0) {
      error = fmt::format("parameter substitution does not end after {} replacements (a value "
                          "that refers to itself?)",
                          kMaxExpansions);
      return false;
    }
    const int column = line.columns[ref->start];
    const std::vector<std::string>& value = ref->value;
    std::vector<MappedLine> parts;
    MappedLine first;
    append(first, line, 0, ref->start);
    const MappedLine v0 = piece(value.empty() ? std::string_view() : value.front(), column);
    append(first, v0, 0, v0.text.size());
    if (value.size() <= 1) {
      append(first, line, ref->end, line.text.size());
      parts.push_back(std::move(first));
    } else {
      parts.push_back(std::move(first));
      for (std::size_t k = 1; k + 1 < value.size(); ++k) parts.push_back(piece(value[k], column));
      MappedLine last = piece(value.back(), column);
      append(last, line, ref->end, line.text.size());
      parts.push_back(std::move(last));
    }
    for (const auto& p : parts) {
      if (p.text.size() > kMaxLength) {
        error = fmt::format("parameter substitution makes a line longer than {} bytes", kMaxLength);
        return false;
      }
    }
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(std::move(*it));
  }
  return true;
}

}  // namespace lvsctl::conf
