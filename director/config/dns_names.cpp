#include "director/config/dns_names.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace lvsctl::director::config {
namespace {

struct TypeName {
  std::uint16_t type;
  const char* name;
};
constexpr std::array<TypeName, 9> kTypes{{{1, "A"},
                                          {2, "NS"},
                                          {5, "CNAME"},
                                          {6, "SOA"},
                                          {15, "MX"},
                                          {16, "TXT"},
                                          {28, "AAAA"},
                                          {46, "RRSIG"},
                                          {48, "DNSKEY"}}};

}  // namespace

std::optional<std::uint16_t> dns_type_from_name(std::string_view name) {
  for (const auto& t : kTypes) {
    const std::string_view n(t.name);
    if (n.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      same = same && std::toupper(static_cast<unsigned char>(name[i])) == n[i];
    }
    if (same) return t.type;
  }
  return std::nullopt;
}

std::string dns_type_name(std::uint16_t type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return fmt::format("TYPE{}", type);
}

std::string dns_type_names() {
  std::string out;
  for (const auto& t : kTypes) out += (out.empty() ? "" : ", ") + std::string(t.name);
  return out;
}

std::optional<std::string> dns_name_problem(std::string_view name) {
  if (name == "." || name.empty()) return std::nullopt;
  std::string_view rest = name;
  if (rest.back() == '.') rest.remove_suffix(1);
  std::size_t wire = 1;  // the root label's length octet
  while (true) {
    const auto dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty()) return fmt::format("DNS name '{}' has an empty label", name);
    if (label.size() > 63) {
      return fmt::format("DNS name '{}' has a label of {} octets (at most 63)", name, label.size());
    }
    wire += label.size() + 1;
    if (wire > 255) return fmt::format("DNS name '{}' is longer than 255 octets", name);
    if (dot == std::string_view::npos) return std::nullopt;
    rest = rest.substr(dot + 1);
  }
}

}  // namespace lvsctl::director::config
