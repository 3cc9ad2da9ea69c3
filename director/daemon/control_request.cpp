#include "director/daemon/control_request.hpp"

#include <fmt/format.h>

namespace lvsctl::director {

ControlRequest::State ControlRequest::feed(std::string_view bytes) {
  if (state_ != State::Incomplete) return state_;
  for (char c : bytes) {
    if (c == '\n') {
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      state_ = State::Complete;
      return state_;
    }
    if (c == '\0') {
      line_.clear();
      state_ = State::Invalid;
      return state_;
    }
    // The cap counts the request's bytes; one "\r" may sit past it, as the start of a CRLF.
    if (line_.size() > max_ || (line_.size() == max_ && c != '\r')) {
      std::string().swap(line_);
      state_ = State::TooLong;
      return state_;
    }
    line_.push_back(c);
  }
  return state_;
}

ControlRequest::State ControlRequest::end_of_input() {
  if (state_ != State::Incomplete) return state_;
  if (line_.empty()) {
    state_ = State::Empty;
  } else {
    if (line_.back() == '\r') line_.pop_back();
    state_ = State::Complete;
  }
  return state_;
}

std::string ControlRequest::error() const {
  switch (state_) {
    case State::TooLong:
      return fmt::format("request longer than {} bytes", max_);
    case State::Invalid:
      return "request contains a NUL byte";
    case State::Empty:
      return "empty request";
    case State::Incomplete:
      return "incomplete request";
    case State::Complete:
      break;
  }
  return {};
}

}  // namespace lvsctl::director
