#include "director/config/listen_endpoint.hpp"

#include <cerrno>
#include <charconv>

#include <fmt/format.h>

namespace lvsctl::director::config {

std::string ListenEndpoint::to_string() const {
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), port)
                         : fmt::format("{}:{}", address.to_string(), port);
}

Result<ListenEndpoint> parse_listen_endpoint(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return Error{fmt::format("'{}' is not ADDR:PORT ({}); e.g. 127.0.0.1:9650 or [::1]:9650", text,
                             why),
                 EINVAL};
  };
  std::string host;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("an IPv6 address goes in brackets before ':PORT'");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return bad("no ':PORT'");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) return bad("an IPv6 address goes in brackets");
  }
  auto address = IpAddress::parse(host);
  if (!address) return bad("'" + host + "' is not an IP address");
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port == 0 || port > 65535) {
    return bad("the port must be 1-65535");
  }
  return ListenEndpoint{*address, static_cast<std::uint16_t>(port)};
}

}  // namespace lvsctl::director::config
