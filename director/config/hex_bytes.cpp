#include "director/config/hex_bytes.hpp"

#include <algorithm>

namespace lvsctl::director::config {
namespace {

constexpr int kWildcard = 16;

// 0..15 for a hex digit, kWildcard for x/X when allowed, -1 otherwise.
int nibble(char c, bool wildcards) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (wildcards && (c == 'x' || c == 'X')) return kWildcard;
  return -1;
}

bool blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<HexBytes> parse_hex_bytes(std::string_view text, bool wildcards) {
  HexBytes out;
  bool masked = false;
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && blank(text[i])) ++i;
    if (i == text.size()) break;
    unsigned value = 0;
    unsigned free_bits = 0;
    // One octet: one digit, or two when the next character is not a blank.
    for (int digits = 0; digits < 2 && i < text.size() && !blank(text[i]); ++digits) {
      const int n = nibble(text[i++], wildcards);
      if (n < 0) return std::nullopt;
      value <<= 4;
      free_bits <<= 4;
      if (n == kWildcard) {
        free_bits |= 0x0f;
        masked = true;
      } else {
        value |= static_cast<unsigned>(n);
      }
    }
    out.data.push_back(static_cast<std::uint8_t>(value));
    out.mask.push_back(static_cast<std::uint8_t>(free_bits));
  }
  if (out.data.empty()) return std::nullopt;
  if (!masked) out.mask.clear();
  return out;
}

}  // namespace lvsctl::director::config
