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

const std::vector<std::string>* Parameters::find(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

namespace {

struct Reference {
  std::size_t start = 0;
  std::size_t end = 0;  // one past
  const std::vector<std::string>* value = nullptr;
};

std::optional<Reference> first_reference(const Parameters& params, std::string_view t) {
  for (std::size_t i = t.find('$'); i != std::string_view::npos; i = t.find('$', i + 1)) {
    if (i + 1 >= t.size()) break;
    if (t[i + 1] == '{') {
      const std::size_t close = t.find('}', i + 2);
      if (close == std::string_view::npos) continue;
      if (auto* v = params.find(t.substr(i + 2, close - i - 2))) return Reference{i, close + 1, v};
      continue;
    }
    if (!is_name_start(t[i + 1])) continue;
    std::size_t end = i + 1;
    while (end < t.size() && is_name_char(t[end])) ++end;
    if (end < t.size() && !is_blank(t[end])) continue;  // $NAME must be followed by a blank
    if (auto* v = params.find(t.substr(i + 1, end - i - 1))) return Reference{i, end, v};
  }
  return std::nullopt;
}

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
    auto ref = first_reference(*this, line.text);
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
    const std::vector<std::string>& value = *ref->value;
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
