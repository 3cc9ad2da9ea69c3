#include "shared/script_command.hpp"

#include <fmt/format.h>

#include <cerrno>

#include "shared/process.hpp"

namespace lvsctl {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\v';
}
bool is_octal(char c) { return c >= '0' && c <= '7'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error syntax_error(std::string_view text, std::size_t at, const std::string& what) {
  return Error{fmt::format("'{}': {} at character {}", text, what, at + 1), EINVAL};
}

// Decodes the escape whose backslash is at text[at]; `at` moves past it. The value is appended
// to `out`. Errors: nothing after the backslash, a NUL character.
Status decode_escape(std::string_view text, std::size_t& at, std::string& out) {
  const std::size_t backslash = at;
  ++at;
  if (at >= text.size()) return syntax_error(text, backslash, "a backslash ends the text");
  const char c = text[at];
  unsigned value = 0;
  if (c == 'x' && at + 1 < text.size() && hex_value(text[at + 1]) >= 0) {
    ++at;
    while (at < text.size() && hex_value(text[at]) >= 0) {
      value = ((value << 4) | static_cast<unsigned>(hex_value(text[at]))) & 0xffu;
      ++at;
    }
  } else if (c == 'c' && at + 1 < text.size()) {
    value = static_cast<unsigned char>(text[at + 1]) & 0x1fu;
    at += 2;
  } else if (is_octal(c)) {
    for (int digits = 0; digits < 3 && at < text.size() && is_octal(text[at]); ++digits) {
      value = ((value << 3) + static_cast<unsigned>(text[at] - '0')) & 0xffu;
      ++at;
    }
  } else {
    switch (c) {
      case 'a': value = '\a'; break;
      case 'b': value = '\b'; break;
      case 'E': value = 0x1b; break;
      case 'f': value = '\f'; break;
      case 'n': value = '\n'; break;
      case 'r': value = '\r'; break;
      case 't': value = '\t'; break;
      case 'v': value = '\v'; break;
      default: value = static_cast<unsigned char>(c); break;
    }
    ++at;
  }
  if (value == 0) {
    return syntax_error(text, backslash, "an escape makes a NUL character, which no argument can hold");
  }
  out += static_cast<char>(value);
  return {};
}

}  // namespace

Result<std::vector<std::string>> split_script_command(std::string_view text) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while (true) {
    while (at < text.size() && is_space(text[at])) ++at;
    if (at >= text.size()) break;
    std::string word;
    char quote = 0;
    std::size_t quote_at = 0;
    while (at < text.size()) {
      const char c = text[at];
      if (c == '\\') {
        if (auto st = decode_escape(text, at, word); !st) return st.error();
      } else if (quote != 0) {
        if (c == quote) quote = 0;
        else word += c;
        ++at;
      } else if (c == '"' || c == '\'') {
        quote = c;
        quote_at = at;
        ++at;
      } else if (is_space(c)) {
        break;
      } else {
        word += c;
        ++at;
      }
    }
    if (quote != 0) {
      return syntax_error(text, quote_at, fmt::format("missing closing {} for the quote", quote));
    }
    words.push_back(std::move(word));
  }
  if (words.empty()) return Error{"empty command: no program to run", EINVAL};
  return words;
}

Result<std::string> decode_script_escapes(std::string_view text) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\\') {
      if (auto st = decode_escape(text, at, out); !st) return st.error();
    } else {
      out += text[at++];
    }
  }
  return out;
}

std::vector<std::string> shell_syntax_words(const std::vector<std::string>& argv) {
  static constexpr std::string_view kOperators[] = {"&&", "||", ";", "|", "&", ">", ">>", "<",
                                                    "2>", "2>&1", "<<", "(", ")"};
  std::vector<std::string> out;
  for (const auto& a : argv) {
    bool shellish = a.find("$(") != std::string::npos || a.find('`') != std::string::npos;
    for (auto op : kOperators) shellish = shellish || a == op;
    if (!shellish && !a.empty() && (a.back() == ';' || a.front() == '>' || a.front() == '|')) {
      shellish = true;
    }
    if (shellish) out.push_back(a);
  }
  return out;
}

Result<std::vector<std::string>> script_argv(std::string_view text) {
  auto argv = split_script_command(text);
  if (!argv) return argv;
  auto program = find_program(argv->front());
  if (!program) return program.error();
  argv->front() = std::move(*program);
  return argv;
}

}  // namespace lvsctl
