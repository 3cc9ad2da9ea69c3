// libFuzzer target: the control socket's request parser (ControlRequest) must never crash, keep
// more than its cap, or depend on how the bytes are split into reads. The input is fed whole and
// again in pieces whose sizes come from the input itself; both must end in the same state and
// line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "director/daemon/control_request.hpp"

using lvsctl::director::ControlRequest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // First byte: the cap (1..256 bytes, small so the cap is reached often); the rest: the bytes.
  const std::size_t cap = 1 + data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  ControlRequest whole(cap);
  whole.feed(bytes);
  whole.end_of_input();

  ControlRequest pieces(cap);
  std::size_t off = 0;
  std::size_t step = 1;
  while (off < bytes.size()) {
    const std::size_t n = std::min(step, bytes.size() - off);
    pieces.feed(bytes.substr(off, n));
    off += n;
    step = 1 + static_cast<unsigned char>(bytes[off - 1]) % 7;
  }
  pieces.end_of_input();

  if (whole.state() != pieces.state() || whole.line() != pieces.line()) std::abort();
  if (whole.state() == ControlRequest::State::Incomplete) std::abort();  // ended by end_of_input
  if (whole.line().size() > cap) std::abort();
  if (whole.state() == ControlRequest::State::Complete) {
    if (whole.line().find('\n') != std::string_view::npos) std::abort();
    if (whole.line().find('\0') != std::string_view::npos) std::abort();
  } else if (!whole.line().empty()) {
    std::abort();
  }
  return 0;
}
