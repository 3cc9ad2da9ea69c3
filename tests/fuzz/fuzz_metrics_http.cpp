// libFuzzer target: the metrics endpoint's request parser (HttpRequest) must never crash, hold
// more than its cap, or depend on how the bytes are split into reads: the input fed whole and in
// pieces whose sizes come from the input itself must end in the same state, method and path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "director/daemon/metrics_http.hpp"

using lvsctl::director::HttpRequest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::size_t cap = 1 + data[0];  // 1..256 bytes: the cap is reached often
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  HttpRequest whole(cap);
  whole.feed(bytes);

  HttpRequest pieces(cap);
  std::size_t off = 0;
  std::size_t step = 1;
  while (off < bytes.size()) {
    const std::size_t n = std::min(step, bytes.size() - off);
    pieces.feed(bytes.substr(off, n));
    off += n;
    step = 1 + static_cast<unsigned char>(bytes[off - 1]) % 7;
  }
  if (whole.state() != pieces.state()) std::abort();
  if (whole.state() == HttpRequest::State::Complete &&
      (whole.method() != pieces.method() || whole.path() != pieces.path())) {
    std::abort();
  }
  if (whole.path().size() > cap) std::abort();
  return 0;
}
