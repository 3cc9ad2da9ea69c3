#include "director/check/dns_message.hpp"

#include <fmt/format.h>

#include <cctype>

namespace lvsctl::director::check {
namespace {

constexpr std::size_t kHeader = 12;
constexpr std::uint16_t kClassIn = 1;

constexpr const char* kRcodes[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

char lower(std::uint8_t c) { return static_cast<char>(std::tolower(c)); }

// The question's name at `at` as lowercase dotted text ("." for the root); `at` moves past the
// name (past the first pointer when compressed). nullopt: truncated, a loop, or too long.
std::optional<std::string> read_name(std::span<const std::uint8_t> msg, std::size_t& at) {
  std::string name;
  std::size_t pos = at;
  bool jumped = false;
  for (int hops = 0; hops < 32;) {
    if (pos >= msg.size()) return std::nullopt;
    const std::uint8_t len = msg[pos];
    if ((len & 0xc0) == 0xc0) {
      if (pos + 1 >= msg.size()) return std::nullopt;
      if (!jumped) at = pos + 2;
      jumped = true;
      pos = static_cast<std::size_t>(((len & 0x3f) << 8) | msg[pos + 1]);
      ++hops;
      continue;
    }
    if ((len & 0xc0) != 0) return std::nullopt;  // 0x40/0x80: reserved label types
    if (len == 0) {
      if (!jumped) at = pos + 1;
      return name.empty() ? std::string(".") : name;
    }
    if (pos + 1 + len > msg.size() || name.size() + len + 1 > 255) return std::nullopt;
    if (!name.empty()) name += '.';
    for (std::size_t i = 0; i < len; ++i) name += lower(msg[pos + 1 + i]);
    pos += 1 + len;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_dns_query(std::uint16_t id, std::string_view name,
                                                  std::uint16_t type) {
  std::vector<std::uint8_t> out;
  put16(out, id);
  put16(out, 0x0100);  // RD
  put16(out, 1);       // QDCOUNT
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  if (auto problem = config::dns_name_problem(name)) return Error{*problem};
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  while (!name.empty()) {
    const auto dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  }
  out.push_back(0);
  put16(out, type);
  put16(out, kClassIn);
  return out;
}

DnsJudgement judge_dns_answer(std::span<const std::uint8_t> query, std::span<const std::uint8_t> answer) {
  if (answer.size() < kHeader || query.size() < kHeader) return {};
  if (be16(answer, 0) != be16(query, 0)) return {};  // another id: not ours
  const std::uint16_t flags = be16(answer, 2);
  if ((flags & 0x8000) == 0) return {};  // a query, not a response
  const unsigned rcode = flags & 0x0f;
  if (rcode != 0) {
    const std::string name = rcode < std::size(kRcodes) ? kRcodes[rcode] : fmt::format("{}", rcode);
    return {DnsVerdict::Bad, fmt::format("DNS answer rcode {}", name)};
  }
  if (be16(answer, 4) != 1) {
    return {DnsVerdict::Bad, fmt::format("DNS answer has {} questions, not ours", be16(answer, 4))};
  }
  std::size_t qa = kHeader;
  std::size_t aa = kHeader;
  const auto asked = read_name(query, qa);
  const auto echoed = read_name(answer, aa);
  if (!asked || !echoed || aa + 4 > answer.size() || qa + 4 > query.size()) {
    return {DnsVerdict::Bad, "DNS answer's question is malformed"};
  }
  if (*asked != *echoed || be16(answer, aa) != be16(query, qa) || be16(answer, aa + 2) != be16(query, qa + 2)) {
    return {DnsVerdict::Bad, fmt::format("DNS answer is for {} {}, not {} {}", *echoed,
                                         dns_type_name(be16(answer, aa)), *asked, dns_type_name(be16(query, qa)))};
  }
  return {DnsVerdict::Good, fmt::format("DNS answer NOERROR with {} records", be16(answer, 6))};
}

}  // namespace lvsctl::director::check
