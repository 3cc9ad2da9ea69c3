#include "shared/conf/lexer.hpp"

#include <array>

#include <fmt/format.h>

namespace lvsctl::conf {
namespace {

// What a byte means outside a quoted string. Everything not listed is part of a word.
enum CharClass : unsigned char {
  kWordChar = 0,
  kBlank,      // space, tab, \f, \v, \r
  kNul,        // '\0'
  kComment,    // '#', '!'
  kBrace,      // '{', '}'
  kQuote,      // '"'
  kBackslash,  // '\'
  kLeadC2,     // first byte of U+00A0 (C2 A0), or of another 2-byte character
};

constexpr std::array<CharClass, 256> make_classes() {
  std::array<CharClass, 256> t{};
  t[' '] = t['\t'] = t['\f'] = t['\v'] = t['\r'] = kBlank;
  t[0] = kNul;
  t['#'] = t['!'] = kComment;
  t['{'] = t['}'] = kBrace;
  t['"'] = kQuote;
  t['\\'] = kBackslash;
  t[0xC2] = kLeadC2;
  return t;
}
constexpr std::array<CharClass, 256> kClasses = make_classes();

CharClass class_of(char c) { return kClasses[static_cast<unsigned char>(c)]; }

bool is_nbsp_at(std::string_view line, std::size_t i) {
  return i + 1 < line.size() && static_cast<unsigned char>(line[i]) == 0xC2 &&
         static_cast<unsigned char>(line[i + 1]) == 0xA0;
}

// True when nothing but whitespace follows position `i` on the line.
bool only_blanks_from(std::string_view line, std::size_t i) {
  while (i < line.size()) {
    if (class_of(line[i]) == kBlank) {
      ++i;
    } else if (is_nbsp_at(line, i)) {
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

Lexer::Lexer(std::string_view text, const FileName& file, Diagnostics& diags)
    : text_(text), file_(file), diags_(diags) {}

bool Lexer::next_line(std::vector<Token>& out) {
  out.clear();
  unescaped_.clear();
  continuation_column_ = 0;
  while (pos_ < text_.size()) {
    const std::size_t newline = text_.find('\n', pos_);
    const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
    ++line_;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line_text_ = line;
    scan_line(line, out);
    if (!out.empty() || continuation_column_ != 0) return true;
  }
  return false;
}

bool Lexer::next_raw_line(std::string_view& out) {
  if (pos_ >= text_.size()) return false;
  const std::size_t newline = text_.find('\n', pos_);
  const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
  out = text_.substr(pos_, end - pos_);
  pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
  ++line_;
  while (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  line_text_ = out;
  continuation_column_ = 0;
  return true;
}

void Lexer::scan_line(std::string_view line, std::vector<Token>& out) {
  std::size_t i = 0;
  if (line_ == 1 && line.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    report(Severity::Warning, 0,
           "UTF-8 byte-order mark at the start of the file ignored (keepalived would read it as "
           "part of the first keyword)");
    i = kByteOrderMark.size();
  }
  const std::size_t n = line.size();
  bool nbsp_pending = false;  // a U+00A0 since the last token
  while (i < n) {
    const std::size_t tokens_before = out.size();
    switch (class_of(line[i])) {
      case kBlank:
        ++i;
        break;
      case kNul:
        if (!warned_nul_) {
          report(Severity::Error, i, "NUL byte in the text (read as whitespace)");
          warned_nul_ = true;
        }
        ++i;
        break;
      case kComment:
        return;  // the rest of the line is a comment
      case kBrace:
        out.push_back(Token{line[i] == '{' ? Token::Kind::OpenBrace : Token::Kind::CloseBrace,
                            line.substr(i, 1), line_, static_cast<int>(i + 1), false});
        ++i;
        break;
      case kQuote:
        i = scan_quoted(line, i, out);
        break;
      case kLeadC2:
        if (is_nbsp_at(line, i)) {
          nbsp_pending = true;
          i += 2;
          break;
        }
        i = scan_word(line, i, out);
        break;
      default:
        i = scan_word(line, i, out);
        break;
    }
    if (nbsp_pending && out.size() > tokens_before) {
      out[tokens_before].nbsp_before = true;
      nbsp_pending = false;
    }
  }
}

std::size_t Lexer::scan_word(std::string_view line, std::size_t start, std::vector<Token>& out) {
  const std::size_t n = line.size();
  std::string* unescaped = nullptr;  // only when the word has `\#` or `\!`
  std::size_t copied_to = start;     // with `unescaped`: line[start, copied_to) is in it
  std::size_t i = start;
  bool line_done = false;
  while (i < n) {
    const CharClass cls = class_of(line[i]);
    if (cls == kWordChar) {
      ++i;
      continue;
    }
    if (cls == kBlank || cls == kNul || cls == kBrace || cls == kQuote) break;
    if (cls == kLeadC2) {
      if (is_nbsp_at(line, i)) break;
      ++i;
      continue;
    }
    if (cls == kComment) {
      std::string word = unescaped ? *unescaped : std::string();
      word.append(line.substr(copied_to, i - copied_to));
      report(Severity::Warning, i,
             fmt::format("'{}' starts a comment here, as in keepalived, so the word is '{}'; "
                         "write '\\{}' to keep the character",
                         line[i], word, line[i]));
      break;
    }
    // A backslash.
    if (i + 1 < n && (line[i + 1] == '#' || line[i + 1] == '!')) {
      if (unescaped == nullptr) unescaped = &unescaped_.emplace_back();
      unescaped->append(line.substr(copied_to, i - copied_to));
      unescaped->push_back(line[i + 1]);
      i += 2;
      copied_to = i;
      continue;
    }
    if (only_blanks_from(line, i + 1)) {
      continuation_column_ = static_cast<int>(i + 1);
      line_done = true;
      break;
    }
    ++i;  // any other backslash is an ordinary character
  }

  std::string_view text;
  if (unescaped != nullptr) {
    unescaped->append(line.substr(copied_to, i - copied_to));
    text = *unescaped;
  } else {
    text = line.substr(start, i - start);
  }
  if (!text.empty()) {
    out.push_back(Token{Token::Kind::Word, text, line_, static_cast<int>(start + 1), false});
  }
  return line_done ? n : i;
}

std::size_t Lexer::scan_quoted(std::string_view line, std::size_t open,
                               std::vector<Token>& out) {
  const std::size_t n = line.size();
  std::size_t i = open + 1;
  while (i < n && line[i] != '"') i += line[i] == '\\' ? std::size_t{2} : std::size_t{1};
  const int column = static_cast<int>(open + 1);
  if (i >= n) {
    report(Severity::Error, open, "missing closing '\"' for the quoted string started here");
    out.push_back(Token{Token::Kind::Word, line.substr(open + 1), line_, column, true});
    return n;
  }
  out.push_back(Token{Token::Kind::Word, line.substr(open + 1, i - open - 1), line_, column, true});
  return i + 1;
}

void Lexer::report(Severity severity, std::size_t column0, std::string message) {
  diags_.push_back(Diagnostic{severity, Location{file_, line_, static_cast<int>(column0 + 1)},
                              std::move(message)});
}

}  // namespace lvsctl::conf
