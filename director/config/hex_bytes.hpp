#pragma once
// Hex strings as keepalived.conf writes octets (UDP_CHECK payload / require_reply): pairs of hex
// digits, blanks between octets allowed ("0a 1b2c"), a lone digit before a blank is one octet
// ("1 2" = 01 02). With wildcards, an x or X nibble matches anything (require_reply). Pure.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lvsctl::director::config {

struct HexBytes {
  std::vector<std::uint8_t> data;
  std::vector<std::uint8_t> mask;  // per octet, the bits a wildcard leaves free; empty: none
  friend bool operator==(const HexBytes&, const HexBytes&) = default;
};

// nullopt: a character that is not a hex digit (nor x with wildcards), or no octet at all.
std::optional<HexBytes> parse_hex_bytes(std::string_view text, bool wildcards);

}  // namespace lvsctl::director::config
