#include "shared/conf/tree_builder.hpp"

#include <iterator>
#include <utility>

#include <fmt/format.h>

namespace lvsctl::conf {

void TreeBuilder::word(Word w) {
  if (words_.empty()) top().last_takes_block = false;
  words_.push_back(std::move(w));
}

void TreeBuilder::open_brace(const Location& where) {
  if (!top().keep) {  // inside a dropped block: only the braces are counted
    words_.clear();
    ++top().dropped_inner;
    return;
  }
  if (!words_.empty()) {
    push_frame(take_statement(), where);
    return;
  }
  Frame& frame = top();
  if (frame.last_takes_block && !frame.items.empty()) {
    std::optional<Statement> owner(std::move(frame.items.back()));
    frame.items.pop_back();
    frame.last_takes_block = false;
    push_frame(std::move(owner), where);
    return;
  }
  diags_.push_back(Diagnostic{Severity::Error, where,
                              "'{' without a statement before it (it does not belong to any "
                              "keyword); its block is ignored"});
  push_frame(std::nullopt, where);
}

void TreeBuilder::close_brace(const Location& where) {
  finish_statement();
  if (top().dropped_inner != 0) {
    --top().dropped_inner;
    return;
  }
  if (open_ == 1) {
    if (++stray_closes_ <= kMaxStrayReported) {
      diags_.push_back(
          Diagnostic{Severity::Error, where, "unexpected '}': there is no open block to close"});
    } else if (stray_closes_ == kMaxStrayReported + 1) {
      first_unreported_stray_ = where;
    }
    top().last_takes_block = false;
    return;
  }
  pop_frame();
}

void TreeBuilder::end_of_line() {
  if (words_.empty()) return;
  finish_statement();
  top().last_takes_block = top().keep;
}

std::vector<Statement> TreeBuilder::finish(const std::string& end_name) {
  finish_statement();
  if (stray_closes_ > kMaxStrayReported) {
    diags_.push_back(Diagnostic{
        Severity::Error, first_unreported_stray_,
        fmt::format("unexpected '}}' here and {} more after it: no open block to close (only the "
                    "first {} are reported one by one)",
                    stray_closes_ - kMaxStrayReported - 1, kMaxStrayReported)});
  }
  while (open_ > 1) {
    const Frame& frame = top();
    std::string what = frame.has_owner
                           ? fmt::format("the block of '{}'", frame.owner.keyword.text)
                           : std::string("the block");
    std::string inside;
    if (frame.dropped_inner != 0) {
      inside = fmt::format(" (with {} more block{} open inside it)", frame.dropped_inner,
                           frame.dropped_inner == 1 ? "" : "s");
    }
    diags_.push_back(Diagnostic{
        Severity::Error, frame.open,
        fmt::format("missing '}}': {} opened here is still open{} at the end of {}", what, inside,
                    end_name)});
    pop_frame();
  }
  std::vector<Statement> statements = std::move(frames_[0].items);
  frames_[0].items.clear();
  return statements;
}

Statement TreeBuilder::take_statement() {
  Statement s;
  s.keyword = std::move(words_.front());
  s.args.reserve(words_.size() - 1);
  s.args.insert(s.args.end(), std::make_move_iterator(words_.begin() + 1),
                std::make_move_iterator(words_.end()));
  words_.clear();
  return s;
}

void TreeBuilder::finish_statement() {
  if (words_.empty()) return;
  Frame& frame = top();
  Statement s = take_statement();
  if (frame.keep) frame.items.push_back(std::move(s));
  frame.last_takes_block = false;
}

void TreeBuilder::push_frame(std::optional<Statement> owner, const Location& where) {
  bool keep = owner.has_value() && top().keep;
  if (keep && open_ > kMaxDepth) {
    keep = false;
    if (!reported_depth_) {
      diags_.push_back(Diagnostic{
          Severity::Error, where,
          fmt::format("blocks nested more than {} deep; this block is ignored", kMaxDepth)});
      reported_depth_ = true;
    }
  }
  if (open_ == frames_.size()) frames_.emplace_back();
  Frame& frame = frames_[open_++];
  frame.has_owner = owner.has_value();
  frame.owner = owner ? std::move(*owner) : Statement{};
  frame.open = where;
  frame.keep = keep;
  frame.last_takes_block = false;
  frame.dropped_inner = 0;
  frame.items.clear();
}

void TreeBuilder::pop_frame() {
  Frame& closed = frames_[--open_];
  Frame& parent = top();
  parent.last_takes_block = false;
  if (closed.keep && parent.keep && closed.has_owner) {
    Statement& owner = closed.owner;
    owner.has_block = true;
    owner.block.reserve(closed.items.size());
    owner.block.insert(owner.block.end(), std::make_move_iterator(closed.items.begin()),
                       std::make_move_iterator(closed.items.end()));
    parent.items.push_back(std::move(owner));
  }
  closed.items.clear();
  closed.owner = Statement{};
}

}  // namespace lvsctl::conf
