// parse_statements(): reads the text line by line (Lexer), expands `include` lines in place and
// hands the tokens to a TreeBuilder. Files form a stack, as in keepalived: an included file's
// lines come where its include line was, so an include may sit inside a block.
#include "shared/conf/statement.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "shared/conf/lexer.hpp"
#include "shared/conf/tree_builder.hpp"
#include "shared/random_seed.hpp"

namespace lvsctl::conf {
namespace {

constexpr std::size_t kMaxIncludeDepth = 32;

// The include keywords keepalived knows; the letter after "include" sets how strict it is.
bool is_include_keyword(std::string_view word) {
  return word == "include" || word == "includer" || word == "includem" || word == "includew" ||
         word == "includeb" || word == "includea";
}

bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?[{") != std::string_view::npos;
}

// A relative pattern is taken from the directory of the including file.
std::string resolve_pattern(const std::string& including_file, std::string_view pattern) {
  if (!pattern.empty() && pattern.front() == '/') return std::string(pattern);
  const std::size_t slash = including_file.rfind('/');
  if (slash == std::string::npos) return std::string(pattern);
  std::string resolved = including_file.substr(0, slash + 1);
  resolved.append(pattern);
  return resolved;
}

// The name under which a file is recognised again (include loops): lexically normal, no I/O.
std::string file_key(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().string();
}

// ${_PWD} of a file: keepalived changes into the directory of each file it reads and gives
// getcwd(); here the absolute, lexically normal directory (symbolic links are not resolved).
std::string directory_of(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p(path);
  std::filesystem::path dir = std::filesystem::absolute(p, ec).parent_path();
  if (ec) dir = p.parent_path();
  return dir.lexically_normal().string();
}

struct Source {
  FileName name;  // as given or as matched by the glob; shared by every Location in the file
  std::string key;
  std::string directory;  // ${_PWD}
  std::string text;  // owned text of an included file (the top-level text is the caller's)
  std::optional<Lexer> lexer;
  std::vector<std::string> queued;  // further matches of the same include, read after this one
  Location included_at;             // the include word that brought this file in
};

class StatementReader {
 public:
  StatementReader(SourceReader& reader, Diagnostics& diags, const LanguageOptions& options)
      : reader_(reader),
        diags_(diags),
        tree_(diags),
        config_id_(options.config_id.empty() ? default_config_id() : options.config_id) {
    Builtins builtins;
    builtins.instance = config_id_;
    builtins.random = options.random;
    if (!builtins.random) {
      builtins.random = [engine = std::mt19937(static_cast<std::uint32_t>(random_seed()))]() mutable {
        return static_cast<std::uint32_t>(engine());
      };
    }
    params_.set_builtins(std::move(builtins));
  }

  std::vector<Statement> run(std::string_view text, const std::string& file) {
    auto top = std::make_unique<Source>();
    top->name = file;
    top->key = file_key(file);
    top->directory = directory_of(file);
    top->lexer.emplace(text, top->name, diags_);
    sources_.push_back(std::move(top));
    bytes_read_ = text.size();

    std::vector<Token> line;
    while (!sources_.empty()) {
      Source& source = *sources_.back();
      line_diags_start_ = diags_.size();
      if (source.lexer->next_line(line)) {
        read_line(source, line);
        continue;
      }
      std::vector<std::string> queued = std::move(source.queued);
      Location included_at = std::move(source.included_at);
      sources_.pop_back();
      open_next(std::move(queued), included_at);
    }
    return tree_.finish(file);
  }

 private:
  void error(const Location& where, std::string message) {
    diags_.push_back(Diagnostic{Severity::Error, where, std::move(message)});
  }
  void warning(const Location& where, std::string message) {
    diags_.push_back(Diagnostic{Severity::Warning, where, std::move(message)});
  }
  static Location at(const Source& source, const Token& token) {
    return Location{source.name, token.line, token.column};
  }

  // True when the line needs keepalived's language (language.hpp) before it is read.
  bool uses_language(const std::vector<Token>& line) const {
    if (line.empty() || line.front().kind != Token::Kind::Word || line.front().quoted) {
      return false;
    }
    const std::string_view first = line.front().text;
    if (first.front() == '@' || first.front() == '$' || first.starts_with("~SEQ") ||
        first.starts_with("~LST")) {
      return true;
    }
    if (params_.empty()) return false;
    for (const Token& t : line) {
      if (t.kind == Token::Kind::Word && t.text.find('$') != std::string_view::npos) return true;
    }
    return false;
  }

  void read_line(Source& source, const std::vector<Token>& line) {
    if (uses_language(line)) {
      // The line is split again once the language is applied: drop what splitting it as
      // written reported, so that nothing is said twice (or about a line that is skipped).
      diags_.resize(line_diags_start_);
      std::string_view text = source.lexer->line_text();
      language_line(source, MappedLine::from_source(text), source.lexer->line(), 0);
      return;
    }
    read_tokens(source, line);
  }

  // One line through conditionals, definitions, sequences and substitution; what remains is
  // split into words (keeping source columns) and read.
  void language_line(Source& source, MappedLine line, int line_no, int depth) {
    auto where = [&](std::size_t index) {
      return Location{source.name, line_no, line.column_at(index)};
    };
    if (depth > 64) {
      error(where(0), "parameters, conditionals and ~SEQ nested more than 64 deep; line ignored");
      return;
    }
    const std::size_t first = line.text.find_first_not_of(" \t\f\v\r");
    if (first == std::string::npos) return;
    if (depth == 0) params_.set_pwd(source.directory);
    const Location start = where(first);
    if (auto c = take_conditional(line, config_id_)) {
      if (c->id.empty()) {
        error(start, "'@' must be followed by a config id ('@ID' or '@^ID'); line ignored");
        return;
      }
      if (c->keep) language_line(source, std::move(line), line_no, depth + 1);
      return;
    }
    if (auto d = parse_definition(line.text)) {
      std::vector<std::string> value;
      if (!d->value.empty() || !d->continued) value.push_back(std::move(d->value));
      bool continued = d->continued;
      // Only from the file itself (not from a substituted line) can a definition continue.
      std::string_view raw;
      while (continued && depth == 0 && source.lexer->next_raw_line(raw)) {
        std::string v = definition_line(raw, continued);
        if (!v.empty()) value.push_back(std::move(v));
      }
      params_.define(std::move(d->name), std::move(value));
      return;
    }
    if (line.text.compare(first, 4, "~SEQ") == 0) expand_sequence_arguments(line);
    std::optional<SequenceError> seq_error;
    if (auto seq = take_sequence(line, seq_error)) {
      std::vector<std::vector<std::string>> sets;
      sets.reserve(seq->values.size());
      for (auto& v : seq->values) sets.push_back({std::move(v)});
      repeat(source, line, line_no, depth, start, "~SEQ", {seq->var}, sets);
      return;
    }
    if (!seq_error) {
      if (auto list = take_list(line, seq_error)) {
        repeat(source, line, line_no, depth, start, "~LST", list->vars, list->sets);
        return;
      }
    }
    if (seq_error) {
      error(Location{source.name, line_no, seq_error->column}, seq_error->message + "; line ignored");
      return;
    }
    std::vector<MappedLine> lines;
    std::string message;
    if (!params_.expand(line, lines, message)) {
      error(start, message + "; line ignored");
      return;
    }
    for (auto& l : lines) {
      if (lines.size() != 1 || l.text != line.text) {
        // Substituted text may itself be a conditional, a definition or a sequence.
        const std::size_t f = l.text.find_first_not_of(" \t\f\v\r");
        if (f != std::string::npos &&
            (l.text[f] == '@' || l.text.compare(f, 4, "~SEQ") == 0 ||
             l.text.compare(f, 4, "~LST") == 0 ||
             parse_definition(l.text))) {
          language_line(source, std::move(l), line_no, depth + 1);
          continue;
        }
      }
      read_text(source, l, line_no);
    }
  }

  // keepalived replaces parameters in ~SEQ's (START, STEP, END) before reading them (a value of
  // several lines is left alone; take_sequence() then reports it).
  void expand_sequence_arguments(MappedLine& line) const {
    const std::size_t close = line.text.find(')');
    if (close == std::string::npos || line.text.find('$') > close) return;
    MappedLine head;
    head.text = line.text.substr(0, close + 1);
    head.columns.assign(line.columns.begin(), line.columns.begin() + static_cast<long>(close) + 1);
    std::vector<MappedLine> out;
    std::string message;
    if (!params_.expand(head, out, message) || out.size() != 1) return;
    out[0].text.append(line.text, close + 1);
    out[0].columns.insert(out[0].columns.end(), line.columns.begin() + static_cast<long>(close) + 1,
                          line.columns.end());
    line = std::move(out[0]);
  }

  // The rest of a ~SEQ / ~LST line once per value set, with the variables set to its values.
  void repeat(Source& source, const MappedLine& rest, int line_no, int depth,
              const Location& start, std::string_view what,
              const std::vector<std::string>& vars,
              const std::vector<std::vector<std::string>>& sets) {
    // Nested sequences multiply: the lines they make in one file read are bounded.
    if (sequence_overflow_) return;  // said once
    if (sequence_lines_ + sets.size() > kMaxSequenceLines) {
      error(start, fmt::format("{} would make more than {} lines in all; this and every "
                               "further ~SEQ / ~LST line ignored",
                               what, kMaxSequenceLines));
      sequence_overflow_ = true;
      return;
    }
    sequence_lines_ += sets.size();
    for (const auto& set : sets) {
      if (sequence_overflow_) break;
      for (std::size_t k = 0; k < vars.size(); ++k) params_.define(vars[k], {set[k]});
      language_line(source, rest, line_no, depth + 1);
    }
  }

  // Splits a produced line into tokens (diagnostics and tokens keep the source positions).
  void read_text(Source& source, const MappedLine& l, int line_no) {
    Diagnostics found;
    Lexer lexer(l.text, source.name, found);
    std::vector<Token> tokens;
    while (lexer.next_line(tokens)) {
      for (Token& t : tokens) {
        t.column = l.column_at(static_cast<std::size_t>(t.column - 1));
        t.line = line_no;
      }
      read_tokens(source, tokens);
    }
    for (auto& d : found) {
      d.where.column = l.column_at(static_cast<std::size_t>(std::max(d.where.column, 1) - 1));
      d.where.line = line_no;
      diags_.push_back(std::move(d));
    }
  }

  void read_tokens(Source& source, const std::vector<Token>& line) {
    if (!line.empty() && line.front().kind == Token::Kind::Word && !line.front().quoted) {
      if (is_include_keyword(line.front().text)) {
        report_continuation(source);
        include(source, line);
        return;
      }
    }
    report_continuation(source);
    bool skipping = false;  // the words of a misplaced include
    for (const Token& token : line) {
      switch (token.kind) {
        case Token::Kind::Word:
          if (tree_.at_statement_start() && !token.quoted && is_include_keyword(token.text)) {
            error(at(source, token),
                  fmt::format("'{}' must be the first word of its line; it is ignored", token.text));
            skipping = true;
          }
          if (!skipping) {
            tree_.word(
                Word{std::string(token.text), at(source, token), token.quoted, token.nbsp_before});
          }
          break;
        case Token::Kind::OpenBrace:
          skipping = false;
          tree_.open_brace(at(source, token));
          break;
        case Token::Kind::CloseBrace:
          skipping = false;
          tree_.close_brace(at(source, token));
          break;
      }
    }
    tree_.end_of_line();
  }

  void report_continuation(const Source& source) {
    const int column = source.lexer->continuation_column();
    if (column == 0) return;
    error(Location{source.name, source.lexer->line(), column},
          "'\\' at the end of a line does not continue it: keepalived keeps the '\\' in the word "
          "and reads the next line as a new statement; join the lines");
  }

  void include(Source& source, const std::vector<Token>& line) {
    const Token& keyword = line.front();
    const Location where = at(source, keyword);
    if (line.size() != 2 || line[1].kind != Token::Kind::Word) {
      error(where, fmt::format("'{}' takes exactly one file name or pattern (quote it if it has "
                               "spaces); line ignored",
                               keyword.text));
      return;
    }
    if (stopped_) return;  // a load limit was reached and reported
    const std::string_view pattern = line[1].text;
    const std::string resolved = resolve_pattern(source.name.str(), pattern);
    GlobOutcome found = reader_.expand(resolved);
    if (!found.skipped.empty()) {
      warning(where, fmt::format("include '{}': {}", resolved, found.skipped));
    }
    if (!found.refused.empty()) {
      error(where, fmt::format("cannot include '{}': {}; nothing is read", resolved, found.refused));
      return;
    }
    std::vector<std::string> matches = std::move(found.paths);
    if (matches.size() > kMaxFilesPerInclude) {
      error(where, fmt::format("include '{}' matches {} files, more than the {} one include may "
                               "read; none is read",
                               resolved, matches.size(), kMaxFilesPerInclude));
      return;
    }
    if (matches.empty()) {
      if (!has_wildcard(pattern)) {
        error(where, fmt::format("cannot include '{}': no such file", resolved));
      } else if (keyword.text == "includew" || keyword.text == "includea") {
        error(where, fmt::format("'{}' matched no files", resolved));
      } else {
        warning(where, fmt::format("include '{}' matched no files", resolved));
      }
      return;
    }
    open_next(std::move(matches), where);
  }

  // Opens the first readable file of `paths` (in order) and queues the rest behind it.
  void open_next(std::vector<std::string> paths, const Location& where) {
    for (std::size_t i = 0; i < paths.size() && !stopped_; ++i) {
      const std::string& path = paths[i];
      std::string key = file_key(path);
      if (const std::string chain = include_chain_to(key); !chain.empty()) {
        error(where, fmt::format("include loop: {}; not read again", chain));
        continue;
      }
      if (sources_.size() >= kMaxIncludeDepth) {
        error(where, fmt::format("includes nested more than {} deep; '{}' is not read",
                                 kMaxIncludeDepth, path));
        continue;
      }
      if (files_read_ >= kMaxFilesPerLoad) {
        stop(where, fmt::format("more than {} included files in one load; '{}' and every later "
                                "include are not read",
                                kMaxFilesPerLoad, path));
        return;
      }
      ++files_read_;
      Result<std::string> text = reader_.read(path);
      if (!text) {
        error(where, fmt::format("cannot read included file '{}': {}", path,
                                 without_path(text.error().message, path)));
        continue;
      }
      bytes_read_ += text->size();
      if (bytes_read_ > kMaxBytesPerLoad) {
        stop(where, fmt::format("'{}' takes the configuration past the {} MiB one load may "
                                "read; it and every later include are not read",
                                path, kMaxBytesPerLoad >> 20));
        return;
      }
      auto source = std::make_unique<Source>();
      source->name = path;
      source->key = std::move(key);
      source->directory = directory_of(path);
      source->text = std::move(text.value());
      source->lexer.emplace(source->text, source->name, diags_);
      source->queued.assign(std::make_move_iterator(paths.begin() + static_cast<long>(i) + 1),
                            std::make_move_iterator(paths.end()));
      source->included_at = where;
      sources_.push_back(std::move(source));
      return;
    }
  }

  // A load limit reached: reported once, then no further include is read.
  void stop(const Location& where, std::string message) {
    error(where, std::move(message));
    stopped_ = true;
  }

  // "PATH: reason" -> "reason" (the diagnostic names the path already).
  static std::string without_path(const std::string& message, const std::string& path) {
    if (message.size() > path.size() + 2 && message.starts_with(path) &&
        message.compare(path.size(), 2, ": ") == 0) {
      return message.substr(path.size() + 2);
    }
    return message;
  }

  // "a.conf -> b.conf -> a.conf" when `key` is a file being read, else "".
  std::string include_chain_to(const std::string& key) const {
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      if (sources_[i]->key != key) continue;
      std::string chain;
      for (std::size_t j = i; j < sources_.size(); ++j) {
        chain += sources_[j]->name.str();
        chain += " -> ";
      }
      chain += sources_[i]->name.str();
      return chain;
    }
    return {};
  }

  SourceReader& reader_;
  Diagnostics& diags_;
  TreeBuilder tree_;
  std::string config_id_;
  Parameters params_;
  std::size_t line_diags_start_ = 0;
  static constexpr std::size_t kMaxSequenceLines = 1'000'000;
  std::size_t sequence_lines_ = 0;
  bool sequence_overflow_ = false;
  std::vector<std::unique_ptr<Source>> sources_;
  std::size_t files_read_ = 0;  // included files read (kMaxFilesPerLoad)
  std::size_t bytes_read_ = 0;  // text of every file, the main one too (kMaxBytesPerLoad)
  bool stopped_ = false;        // a load limit was reached: no further include is read
};

}  // namespace

std::vector<Statement> parse_statements(std::string_view text, const std::string& file,
                                        SourceReader& reader, Diagnostics& diags,
                                        const LanguageOptions& options) {
  return StatementReader(reader, diags, options).run(text, file);
}

}  // namespace lvsctl::conf
