#include "director/config/ip_prefix.hpp"

#include <charconv>

namespace lvsctl::director::config {

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const int bits = addr->host_prefix_len();
  IpPrefix p{*addr, bits};
  if (slash == std::string_view::npos) return p;
  const std::string_view len = text.substr(slash + 1);
  int value = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), value);
  if (len.empty() || ec != std::errc() || end != len.data() + len.size() || value < 0 ||
      value > bits) {
    return std::nullopt;
  }
  p.length = value;
  return p;
}

std::string IpPrefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

}  // namespace lvsctl::director::config
