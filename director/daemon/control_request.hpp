#pragma once
// The control socket's request line, read incrementally (pure). A client sends one line ending
// in "\n" (a "\r" before it is dropped; end of input also ends a non-empty line). Each feed()
// scans only the bytes it is given, so a client sending a byte at a time costs O(total), and the
// line never grows past the cap: a longer line is TooLong at once, without waiting for its end.
// A NUL byte makes the request Invalid (no request of ours contains one).
#include <cstddef>
#include <string>
#include <string_view>

namespace lvsctl::director {

class ControlRequest {
 public:
  static constexpr std::size_t kDefaultMaxLength = 4096;  // bytes of the line, without "\n"

  enum class State { Incomplete, Complete, TooLong, Invalid, Empty };

  explicit ControlRequest(std::size_t max_length = kDefaultMaxLength) : max_(max_length) {}

  // Takes the next bytes. Once the state is final (not Incomplete) further bytes are ignored
  // (what follows the line is not read). Returns the state.
  State feed(std::string_view bytes);
  // The client closed its side: a non-empty unterminated line is complete, nothing at all is
  // Empty.
  State end_of_input();

  State state() const { return state_; }
  // The request (Complete), without "\n" and a trailing "\r".
  const std::string& line() const { return line_; }
  // One line for the client when the state is TooLong/Invalid/Empty.
  std::string error() const;

 private:
  std::size_t max_;
  std::string line_;
  State state_ = State::Incomplete;
};

}  // namespace lvsctl::director
