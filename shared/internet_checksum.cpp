#include "shared/internet_checksum.hpp"

namespace lvsctl {

void InternetChecksum::add(std::span<const uint8_t> bytes) {
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  uint64_t sum = sum_;
  if (odd_ && n > 0) {  // finish the 16-bit word the previous piece started
    sum += bytes[0];
    i = 1;
    odd_ = false;
  }
  for (; i + 1 < n; i += 2) sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < n) {
    sum += static_cast<uint32_t>(bytes[i]) << 8;
    odd_ = true;
  }
  while (sum >> 32) sum = (sum & 0xffffffffu) + (sum >> 32);
  sum_ = static_cast<uint32_t>(sum);
}

uint16_t InternetChecksum::value() const {
  uint64_t s = sum_;
  while (s >> 16) s = (s & 0xffffu) + (s >> 16);
  return static_cast<uint16_t>(~s & 0xffffu);
}

}  // namespace lvsctl
