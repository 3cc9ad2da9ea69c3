#pragma once
// Assembles statements and their `{ ... }` blocks from a stream of words, braces and line ends
// (the tokens of every file, include already expanded). No recursion: blocks are kept on an
// explicit stack, so deeply nested input cannot overflow the call stack.
//
// Rules (keepalived 2.2.7 reads a config the same way):
// - A statement is a keyword and the words after it up to the end of the line, a '{' or a '}'.
// - '{' opens the block of the statement in progress on its line (`real_server 10.0.0.1 80{`),
//   or, when it starts a line, of the statement on the last line before it, provided that
//   statement has no block yet (blank lines, comments and includes may come in between).
// - '}' closes the innermost open block; words after it on the line start a new statement.
// Problems are appended to the Diagnostics and building goes on:
// - '}' with no open block: error at the '}', which is ignored (the first 100 of them; the
//   rest are counted in one error at the end);
// - '{' with no statement to belong to: error at the '{'; the block is read and dropped (the
//   blocks inside a dropped block are only counted: a million '{' cost a counter, not a frame
//   each);
// - blocks nested deeper than kMaxDepth: error at the first such '{'; its block is dropped;
// - blocks still open at the end: error at each unclosed '{' naming its statement; the block is
//   kept with everything read into it (nothing is silently truncated); a dropped block's error
//   counts the blocks still open inside it.
#include <optional>
#include <string>
#include <vector>

#include "shared/conf/diagnostic.hpp"
#include "shared/conf/statement.hpp"

namespace lvsctl::conf {

class TreeBuilder {
 public:
  static constexpr std::size_t kMaxDepth = 100;

  explicit TreeBuilder(Diagnostics& diags) : diags_(diags), frames_(1) {}

  void word(Word w);
  void open_brace(const Location& where);
  void close_brace(const Location& where);
  void end_of_line();
  // True when no statement is in progress on the current line.
  bool at_statement_start() const { return words_.empty(); }

  // Ends the input (`end_name` names it in diagnostics) and returns the top-level statements.
  std::vector<Statement> finish(const std::string& end_name);

 private:
  // One open block. Frames are reused (their `items` keep their capacity) and a closed block is
  // moved into a vector of its exact size, so a big tree carries no spare capacity.
  struct Frame {
    Statement owner;                // the statement whose block this is
    bool has_owner = false;         // false at the top level and for a stray '{'
    Location open;                  // where its '{' is
    bool keep = true;               // false: the block is dropped when it closes
    bool last_takes_block = false;  // items.back() ended at a line end and may still get a '{'
    std::size_t dropped_inner = 0;  // a dropped block's open blocks inside it: counted, no frame
    std::vector<Statement> items;
  };

  Frame& top() { return frames_[open_ - 1]; }
  Statement take_statement();  // the words of the current line as a statement
  void finish_statement();
  void push_frame(std::optional<Statement> owner, const Location& where);
  void pop_frame();

  Diagnostics& diags_;
  std::vector<Frame> frames_;  // frames_[0, open_) are open; [0] is the top level
  std::size_t open_ = 1;
  std::vector<Word> words_;  // keyword and arguments of the statement in progress
  bool reported_depth_ = false;
  std::size_t stray_closes_ = 0;  // '}' with no open block; the first kMaxStrayReported reported
  static constexpr std::size_t kMaxStrayReported = 100;
  Location first_unreported_stray_;
};

}  // namespace lvsctl::conf
