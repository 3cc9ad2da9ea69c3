#pragma once
// The Internet checksum (RFC 1071), accumulated over several pieces so that a pseudo-header and a
// message need not be copied into one buffer. Pure.
#include <cstdint>
#include <span>

namespace lvsctl {

class InternetChecksum {
 public:
  // Adds `bytes` as if they followed everything added so far. Pieces of odd length are handled
  // correctly (the next piece continues at the odd offset).
  void add(std::span<const uint8_t> bytes);
  // The one's complement of the folded sum, in host order; write it big-endian. A buffer whose
  // stored checksum is correct sums to 0 here.
  uint16_t value() const;

 private:
  uint32_t sum_ = 0;
  bool odd_ = false;
};

}  // namespace lvsctl
